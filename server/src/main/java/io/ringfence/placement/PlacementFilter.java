package io.ringfence.placement;

import io.ringfence.resource.ResourceTag;
import java.util.List;
import java.util.Set;

/** What a placement list asks for; {@code organizationIds} is null only for a caller who reads everything. */
public record PlacementFilter(Set<String> organizationIds, List<String> projectIds, List<String> regionIds,
                              List<String> reservationIds, List<String> networkIds, List<ResourceTag> tags) {
    public PlacementFilter {
        organizationIds = organizationIds == null ? null : Set.copyOf(organizationIds);
        projectIds = List.copyOf(projectIds);
        regionIds = List.copyOf(regionIds);
        reservationIds = List.copyOf(reservationIds);
        networkIds = List.copyOf(networkIds);
        tags = List.copyOf(tags);
    }
}
