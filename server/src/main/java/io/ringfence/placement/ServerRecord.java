package io.ringfence.placement;

import io.ringfence.placement.ServerOperation.DesiredState;
import io.ringfence.provider.PowerState;
import java.time.Instant;

/**
 * A placement's server as stored: which host it runs on (and that host's health), what the platform last
 * reported, and the operation a customer asked for, if one is in flight.
 */
public record ServerRecord(String id, String placementId, int ordinal, String name, Instant creationTime,
                           Host host, Observed observed, Operations operations) {

    /** The host a server runs on, its place in the topology and its health. */
    public record Host(String infrastructureRef, String domainId, String podId, boolean healthy, String healthReason) {
    }

    /**
     * What the platform last reported. {@code powerState} is null until it first reported; {@code imageId} is
     * the image the server runs, or is being rebuilt to.
     */
    public record Observed(boolean createdAtProvider, PowerState powerState, String imageId, String privateIp,
                           String publicIp, String macAddress, boolean everRunning) {
    }

    /** Operations asked of the server: the one in flight, and the generations the contract reports. */
    public record Operations(DesiredState desiredState, long lifecycleRevision, long operationGeneration,
                             long observedGeneration, ServerOperation pending, boolean issued) {
    }

    public boolean busy() {
        return operations.pending() != null;
    }

    /** Failed: the platform reports an error, or the host under it is unhealthy. */
    public boolean failed() {
        return observed.powerState() == PowerState.ERROR || !host.healthy();
    }

    public boolean running() {
        return observed.powerState() == PowerState.RUNNING;
    }

    public boolean reimaging() {
        return operations.pending() == ServerOperation.RECONCILE;
    }
}
