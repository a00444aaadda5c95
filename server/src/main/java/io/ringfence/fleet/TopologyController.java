package io.ringfence.fleet;

import io.ringfence.contract.api.TopologyApi;
import io.ringfence.contract.model.TopologyRegionV2;
import io.ringfence.web.ApiException;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v2/organizations/{organizationID}/topology}: arrives with the lifecycle issue; 501 until then. */
@RestController
public class TopologyController implements TopologyApi {

    @Override
    public ResponseEntity<List<TopologyRegionV2>> getOrganizationTopology(String organizationID, String regionID,
                                                                          String accelerator, String unit,
                                                                          String projectID, String reservationID) {
        throw ApiException.notImplemented();
    }
}
