package io.ringfence.placement;

import io.ringfence.contract.api.PlacementServersApi;
import io.ringfence.contract.api.PlacementsApi;
import io.ringfence.contract.model.PlacementServerV2Read;
import io.ringfence.contract.model.PlacementV2Create;
import io.ringfence.contract.model.PlacementV2Read;
import io.ringfence.contract.model.PlacementV2Update;
import io.ringfence.error.ApiException;
import io.ringfence.identity.CurrentCaller;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** {@code /api/v2/placements} and their servers: thin; the service decides, the conversion shapes answers. */
@RestController
public class PlacementsController implements PlacementsApi, PlacementServersApi {

    private final PlacementService placements;
    private final CurrentCaller caller;
    private final JsonMapper json;

    public PlacementsController(PlacementService placements, CurrentCaller caller, JsonMapper json) {
        this.placements = placements;
        this.caller = caller;
        this.json = json;
    }

    @Override
    public ResponseEntity<PlacementV2Read> createPlacement(PlacementV2Create request, String idempotencyKey) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(read(placements.create(caller.get(), request,
                idempotencyKey)));
    }

    @Override
    public ResponseEntity<PlacementV2Read> getPlacement(String placementID) {
        return ResponseEntity.ok(read(placements.get(caller.get(), placementID)));
    }

    @Override
    public ResponseEntity<List<PlacementV2Read>> listPlacements(List<String> tag, List<String> organizationID,
                                                                 List<String> projectID, List<String> regionID,
                                                                 List<String> reservationID, List<String> networkID) {
        return ResponseEntity.ok(placements.list(caller.get(), organizationID, projectID, regionID, reservationID,
                networkID, tag).stream().map(this::read).toList());
    }

    @Override
    public ResponseEntity<PlacementV2Read> updatePlacement(String placementID, PlacementV2Update request) {
        return ResponseEntity.ok(read(placements.update(caller.get(), placementID, request.getSpec())));
    }

    @Override
    public ResponseEntity<Void> deletePlacement(String placementID) {
        placements.delete(caller.get(), placementID);
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    @Override
    public ResponseEntity<List<PlacementServerV2Read>> listPlacementServers(String placementID) {
        PlacementService.PlacementView view = placements.servers(caller.get(), placementID);
        return ResponseEntity.ok(view.servers().stream()
                .map(s -> PlacementConversion.server(view.placement(), s)).toList());
    }

    @Override
    public ResponseEntity<PlacementServerV2Read> getPlacementServer(String placementID, String serverID) {
        PlacementService.PlacementView view = placements.server(caller.get(), placementID, serverID);
        return ResponseEntity.ok(PlacementConversion.server(view.placement(), view.servers().get(0)));
    }

    @Override
    public ResponseEntity<Void> rebootPlacementServer(String placementID, String serverID, Boolean hard) {
        placements.operate(caller.get(), placementID, serverID,
                Boolean.TRUE.equals(hard) ? ServerOperation.HARD_REBOOT : ServerOperation.REBOOT);
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    @Override
    public ResponseEntity<Void> stopPlacementServer(String placementID, String serverID) {
        placements.operate(caller.get(), placementID, serverID, ServerOperation.STOP);
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    @Override
    public ResponseEntity<Void> reconcilePlacementServer(String placementID, String serverID, String ifMatch) {
        placements.get(caller.get(), placementID);
        if (ifMatch != null) {
            throw ApiException.conflict("conditional reconcile (If-Match) is not supported in this release");
        }
        placements.operate(caller.get(), placementID, serverID, ServerOperation.RECONCILE);
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    private PlacementV2Read read(PlacementService.PlacementView view) {
        return PlacementConversion.toRead(view, json);
    }
}
