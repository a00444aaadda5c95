package io.ringfence.calendar;

import java.util.Objects;

/**
 * A window in which a request would fit: {@code count} units of {@code podId} are free over [start, end)
 * ({@code end == Calendar.FOREVER} for an open-ended request). {@code podId} is the pod the allocator would pick
 * for that window when the calendar is as it is now.
 */
public record Offering(String podId, long start, long end) {
    public Offering {
        Objects.requireNonNull(podId, "podId");
        if (start >= end) {
            throw new IllegalArgumentException("an offering needs start < end: [" + start + ", " + end + ")");
        }
    }
}
