package io.ringfence.planner;

import java.util.List;

/** The planner's answer. */
public sealed interface Plan {

    /** The chosen hosts, in ordinal order (domain by domain, trays in order). */
    record Placed(List<FreeHost> hosts) implements Plan {
        public Placed {
            hosts = List.copyOf(hosts);
        }
    }

    /** Fewer usable hosts are free than asked for. */
    record NotEnoughHosts(int requested, int usable) implements Plan {
    }

    /** Enough hosts, but the spread constraint cannot be met in full and the request said {@code fail}. */
    record Unsatisfiable(String reason) implements Plan {
    }
}
