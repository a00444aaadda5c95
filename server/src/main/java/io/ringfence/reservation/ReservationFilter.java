package io.ringfence.reservation;

import java.util.List;
import java.util.Set;

/**
 * What a reservation list asks for. Each list is ORed within itself; lists are ANDed with each other; every
 * tag must be present. An empty list means "no restriction" except {@code organizationIds}, which is always
 * limited to what the caller may read.
 */
public record ReservationFilter(Set<String> organizationIds, List<String> projectIds, List<String> regionIds,
                                List<ResourceTag> tags) {
    public ReservationFilter {
        organizationIds = Set.copyOf(organizationIds);
        projectIds = List.copyOf(projectIds);
        regionIds = List.copyOf(regionIds);
        tags = List.copyOf(tags);
    }
}
