package io.ringfence.topology;

import io.ringfence.contract.api.TopologyApi;
import io.ringfence.contract.model.TopologyRegionV2;
import io.ringfence.identity.CurrentCaller;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** {@code /api/v2/organizations/{organizationID}/topology}: thin; the service gathers, the conversion shapes. */
@RestController
public class TopologyController implements TopologyApi {

    private final TopologyService topology;
    private final CurrentCaller caller;
    private final JsonMapper json;

    public TopologyController(TopologyService topology, CurrentCaller caller, JsonMapper json) {
        this.topology = topology;
        this.caller = caller;
        this.json = json;
    }

    @Override
    public ResponseEntity<List<TopologyRegionV2>> getOrganizationTopology(String organizationID, String regionID,
                                                                          String accelerator, String unit,
                                                                          String projectID, String reservationID) {
        return ResponseEntity.ok(TopologyConversion.toWire(topology.view(caller.get(), organizationID, regionID,
                accelerator, unit, projectID, reservationID), json));
    }
}
