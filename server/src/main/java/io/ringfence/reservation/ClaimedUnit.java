package io.ringfence.reservation;

import java.util.List;

/** One unit a reservation holds, as the reconciler and the release endpoint see it. */
public record ClaimedUnit(String domainId, String domainName, String podId, int position, boolean prepared,
                          int unhealthyHosts, List<String> hosts) {
    public ClaimedUnit {
        hosts = List.copyOf(hosts);
    }
}
