package io.ringfence.calendar;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/** What the calendar allocator decided for one request: units in one pod, or why nothing fits. */
public sealed interface CalendarDecision {

    /** The request fits: {@code unitIds} (in position order) all lie in {@code podId} and are free over the window. */
    record Granted(String podId, List<String> unitIds) implements CalendarDecision {
        public Granted {
            Objects.requireNonNull(podId, "podId");
            unitIds = List.copyOf(unitIds);
            if (unitIds.isEmpty()) {
                throw new IllegalArgumentException("a grant holds at least one unit");
            }
        }
    }

    /**
     * No pod has {@code requested} units free over the whole window.
     *
     * @param largestContiguous the most units of any single pod free over the whole requested window
     * @param earliestStart the earliest instant at or after the requested start (and not after the horizon) at
     *     which the same count for the same duration (or open-ended) would fit; empty if none
     */
    record Insufficient(int requested, int largestContiguous, OptionalLong earliestStart) implements CalendarDecision {
        public Insufficient {
            Objects.requireNonNull(earliestStart, "earliestStart");
            if (largestContiguous < 0 || largestContiguous >= requested) {
                throw new IllegalArgumentException("insufficient needs 0 <= largestContiguous < requested: "
                        + largestContiguous + ", " + requested);
            }
        }
    }
}
