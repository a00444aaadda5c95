package io.ringfence.reservation;

import io.ringfence.resource.ResourceTag;
import java.util.List;
import java.util.Set;

/**
 * What a reservation list asks for. Each list is ORed within itself; lists are ANDed with each other; every
 * tag must be present. An empty list means "no restriction"; {@code organizationIds} is already limited to what
 * the caller may read, and is null only for a caller who may read every organization.
 */
public record ReservationFilter(Set<String> organizationIds, List<String> projectIds, List<String> regionIds,
                                List<ResourceTag> tags) {
    public ReservationFilter {
        organizationIds = organizationIds == null ? null : Set.copyOf(organizationIds);
        projectIds = List.copyOf(projectIds);
        regionIds = List.copyOf(regionIds);
        tags = List.copyOf(tags);
    }
}
