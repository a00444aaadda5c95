package io.ringfence.placement;

import java.time.Instant;

/** A placement's server as stored, with its host's place in the topology and health. */
public record ServerRecord(String id, String placementId, int ordinal, String name, String infrastructureRef,
                           Instant creationTime, boolean createdAtProvider, String powerState, String privateIp,
                           String publicIp, String macAddress, String imageId, String desiredState,
                           long lifecycleRevision, long operationGeneration, long observedGeneration,
                           String pendingOperation, boolean operationIssued, String domainId, String podId,
                           boolean hostHealthy, String hostHealthReason, boolean everRunning) {

    public boolean busy() {
        return pendingOperation != null;
    }
}
