package io.ringfence.planner;

import java.util.Objects;

/**
 * A host of a reservation that no placement uses yet, as the planner sees it.
 *
 * @param infrastructureRef the host
 * @param domainId its NVLink domain (one reservation unit)
 * @param domainPosition the domain's position in its pod, for a stable order
 * @param position the host's position (tray) within its domain
 * @param ready whether the host passes the readiness preflight right now (its unit is prepared)
 */
public record FreeHost(String infrastructureRef, String domainId, int domainPosition, int position, boolean ready) {
    public FreeHost {
        Objects.requireNonNull(infrastructureRef, "infrastructureRef");
        Objects.requireNonNull(domainId, "domainId");
    }
}
