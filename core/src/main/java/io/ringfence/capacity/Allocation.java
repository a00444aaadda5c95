package io.ringfence.capacity;

import java.util.List;

/** What the allocator decided for one request: a set of units in one pod, or why nothing fits. */
public sealed interface Allocation {

    /** The request fits: {@code unitIds} (in position order) all lie in {@code podId}. */
    record Granted(String podId, List<String> unitIds) implements Allocation {
        public Granted {
            unitIds = List.copyOf(unitIds);
            if (unitIds.isEmpty()) {
                throw new IllegalArgumentException("a grant holds at least one unit");
            }
        }
    }

    /** No single pod has {@code requested} free units; the most any pod offers is {@code largestContiguous}. */
    record Insufficient(int requested, int largestContiguous) implements Allocation {
    }
}
