package io.ringfence.topology;

import io.ringfence.contract.model.PlacementV2Read;
import java.util.Map;
import java.util.Set;

/** What the topology view shows of placements; the placement feature provides it. */
public interface PlacementOverlays {

    /** The placement that uses each host of the given reservations. */
    Map<String, String> placementOfHosts(Set<String> reservationIds);

    /** The read models of the given placements, by ID. */
    Map<String, PlacementV2Read> placements(Set<String> placementIds);
}
