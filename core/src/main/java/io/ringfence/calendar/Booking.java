package io.ringfence.calendar;

import java.util.Objects;

/**
 * One unit held over the half-open interval [start, end) of epoch seconds. The caller has already added the
 * turnaround (time to wipe and hand the unit back) to {@code end}; an open-ended booking has
 * {@code end == Calendar.FOREVER}.
 */
public record Booking(String unitId, long start, long end) {
    public Booking {
        Objects.requireNonNull(unitId, "unitId");
        if (start >= end) {
            throw new IllegalArgumentException("a booking needs start < end: [" + start + ", " + end + ")");
        }
    }
}
