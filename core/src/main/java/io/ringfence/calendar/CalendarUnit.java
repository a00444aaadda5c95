package io.ringfence.calendar;

import java.util.Objects;

/**
 * A unit (NVLink domain) eligible for a request, as the calendar allocator sees it. The caller leaves out units
 * that must not be offered (unhealthy, draining) before building the {@link Calendar}.
 *
 * @param unitId the domain's ID
 * @param podId the pod (network block) the domain sits in
 * @param position the domain's physical position within its pod; adjacent positions are adjacent racks
 */
public record CalendarUnit(String unitId, String podId, int position) {
    public CalendarUnit {
        Objects.requireNonNull(unitId, "unitId");
        Objects.requireNonNull(podId, "podId");
        if (position < 0) {
            throw new IllegalArgumentException("position must be >= 0: " + position);
        }
    }
}
