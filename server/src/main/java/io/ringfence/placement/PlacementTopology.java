package io.ringfence.placement;

import io.ringfence.contract.model.PlacementV2Read;
import io.ringfence.topology.PlacementOverlays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Placements as the topology view overlays them on hosts. */
@Component
public class PlacementTopology implements PlacementOverlays {

    private final PlacementRepository placements;
    private final JsonMapper json;

    public PlacementTopology(PlacementRepository placements, JsonMapper json) {
        this.placements = placements;
        this.json = json;
    }

    @Override
    public Map<String, String> placementOfHosts(Set<String> reservationIds) {
        return placements.placementOfHosts(reservationIds);
    }

    @Override
    public Map<String, PlacementV2Read> placements(Set<String> placementIds) {
        Map<String, PlacementV2Read> reads = new TreeMap<>();
        Map<String, List<ServerRecord>> servers = placements.serversOf(List.copyOf(placementIds));
        for (String id : placementIds) {
            placements.find(id).ifPresent(p -> reads.put(id, PlacementConversion.toRead(p, servers.get(id), json)));
        }
        return reads;
    }
}
