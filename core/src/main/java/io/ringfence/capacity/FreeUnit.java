package io.ringfence.capacity;

import java.util.Objects;

/**
 * One free, healthy reservation unit (NVLink domain) as the allocator sees it.
 *
 * @param unitId the domain's ID
 * @param podId the pod (network block) the domain sits in
 * @param position the domain's physical position within its pod; adjacent positions are adjacent racks
 */
public record FreeUnit(String unitId, String podId, int position) {
    public FreeUnit {
        Objects.requireNonNull(unitId, "unitId");
        Objects.requireNonNull(podId, "podId");
        if (position < 0) {
            throw new IllegalArgumentException("position must be >= 0: " + position);
        }
    }
}
