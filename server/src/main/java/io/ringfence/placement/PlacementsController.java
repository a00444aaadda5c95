package io.ringfence.placement;

import io.ringfence.contract.api.PlacementServersApi;
import io.ringfence.contract.api.PlacementsApi;
import io.ringfence.contract.model.PlacementServerV2Read;
import io.ringfence.contract.model.PlacementV2Create;
import io.ringfence.contract.model.PlacementV2Read;
import io.ringfence.contract.model.PlacementV2Update;
import io.ringfence.web.ApiException;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v2/placements} and their servers. Placements arrive with the placement issue; until then every
 * operation answers 501 in the contract's error body (after authentication and input validation).
 */
@RestController
public class PlacementsController implements PlacementsApi, PlacementServersApi {

    @Override
    public ResponseEntity<PlacementV2Read> createPlacement(PlacementV2Create request, String idempotencyKey) {
        throw ApiException.notImplemented();
    }

    @Override
    public ResponseEntity<Void> deletePlacement(String placementID) {
        throw ApiException.notImplemented();
    }

    @Override
    public ResponseEntity<PlacementV2Read> getPlacement(String placementID) {
        throw ApiException.notImplemented();
    }

    @Override
    public ResponseEntity<List<PlacementV2Read>> listPlacements(List<String> tag, List<String> organizationID,
                                                                 List<String> projectID, List<String> regionID,
                                                                 List<String> reservationID, List<String> networkID) {
        throw ApiException.notImplemented();
    }

    @Override
    public ResponseEntity<PlacementV2Read> updatePlacement(String placementID, PlacementV2Update request) {
        throw ApiException.notImplemented();
    }

    @Override
    public ResponseEntity<PlacementServerV2Read> getPlacementServer(String placementID, String serverID) {
        throw ApiException.notImplemented();
    }

    @Override
    public ResponseEntity<List<PlacementServerV2Read>> listPlacementServers(String placementID) {
        throw ApiException.notImplemented();
    }

    @Override
    public ResponseEntity<Void> rebootPlacementServer(String placementID, String serverID, Boolean hard) {
        throw ApiException.notImplemented();
    }

    @Override
    public ResponseEntity<Void> stopPlacementServer(String placementID, String serverID) {
        throw ApiException.notImplemented();
    }

    @Override
    public ResponseEntity<Void> reconcilePlacementServer(String placementID, String serverID, String ifMatch) {
        throw ApiException.notImplemented();
    }
}
