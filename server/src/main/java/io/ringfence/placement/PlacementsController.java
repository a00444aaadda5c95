package io.ringfence.placement;

import io.ringfence.contract.api.PlacementServersApi;
import io.ringfence.contract.api.PlacementsApi;
import io.ringfence.contract.model.PlacementServerV2Read;
import io.ringfence.contract.model.PlacementV2Create;
import io.ringfence.contract.model.PlacementV2Read;
import io.ringfence.contract.model.PlacementV2Update;
import io.ringfence.identity.CurrentCaller;
import io.ringfence.resource.ResourceTag;
import io.ringfence.error.ApiException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** {@code /api/v2/placements} and their servers: thin; the service decides, the conversion shapes answers. */
@RestController
public class PlacementsController implements PlacementsApi, PlacementServersApi {

    private final PlacementService placements;
    private final PlacementRepository repository;
    private final CurrentCaller caller;
    private final JsonMapper json;

    public PlacementsController(PlacementService placements, PlacementRepository repository, CurrentCaller caller,
                                JsonMapper json) {
        this.placements = placements;
        this.repository = repository;
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
        List<ResourceTag> tags = new ArrayList<>();
        for (String selector : nonNull(tag)) {
            try {
                tags.add(ResourceTag.parseSelector(selector));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(e.getMessage());
            }
        }
        List<PlacementRecord> found = placements.list(caller.get(), new PlacementFilter(
                organizationID == null || organizationID.isEmpty() ? null : new HashSet<>(organizationID),
                nonNull(projectID), nonNull(regionID), nonNull(reservationID), nonNull(networkID), tags));
        Map<String, List<ServerRecord>> servers = repository.serversOf(found.stream().map(PlacementRecord::id).toList());
        return ResponseEntity.ok(found.stream()
                .map(p -> PlacementConversion.toRead(p, servers.get(p.id()), json)).toList());
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
        PlacementRecord placement = placements.readServers(caller.get(), placementID);
        return ResponseEntity.ok(repository.servers(placementID).stream()
                .map(s -> PlacementConversion.server(placement, s)).toList());
    }

    @Override
    public ResponseEntity<PlacementServerV2Read> getPlacementServer(String placementID, String serverID) {
        PlacementRecord placement = placements.readServers(caller.get(), placementID);
        return ResponseEntity.ok(PlacementConversion.server(placement,
                placements.server(caller.get(), placementID, serverID)));
    }

    @Override
    public ResponseEntity<Void> rebootPlacementServer(String placementID, String serverID, Boolean hard) {
        placements.operate(caller.get(), placementID, serverID, Boolean.TRUE.equals(hard) ? "hard-reboot" : "reboot");
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    @Override
    public ResponseEntity<Void> stopPlacementServer(String placementID, String serverID) {
        placements.operate(caller.get(), placementID, serverID, "stop");
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    @Override
    public ResponseEntity<Void> reconcilePlacementServer(String placementID, String serverID, String ifMatch) {
        placements.get(caller.get(), placementID);
        if (ifMatch != null) {
            throw ApiException.conflict("conditional reconcile (If-Match) is not supported in this release");
        }
        placements.operate(caller.get(), placementID, serverID, "reconcile");
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    private PlacementV2Read read(PlacementRecord placement) {
        return PlacementConversion.toRead(placement, repository.servers(placement.id()), json);
    }

    private static List<String> nonNull(List<String> values) {
        return values == null ? List.of() : values;
    }
}
