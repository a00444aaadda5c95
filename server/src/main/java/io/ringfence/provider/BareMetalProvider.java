package io.ringfence.provider;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What Ringfence asks of the bare-metal platform. Work is asynchronous, as on real hardware, where preparing
 * a unit or booting a server takes minutes: {@link #start} returns at once and {@link #states} tells how the
 * work stands. Every piece of work is named by its {@link OperationKey}, and starting work that is already
 * running or done changes nothing, so a repeat after a crash is harmless. A release names the reservation it
 * acts for, so a late release can never undo a newer owner's preparation. Implementations never touch
 * Ringfence's database.
 */
public interface BareMetalProvider {

    /** Starts the operation unless work with its key is running or done; a failed one is tried again. */
    void start(PlatformOperation operation);

    /**
     * {@link #start} of each operation, in order. A platform that takes several at once (one request, one durable
     * write) overrides this; the reconciler's dispatcher hands it all it starts in a region at once.
     */
    default void startAll(List<PlatformOperation> operations) {
        operations.forEach(this::start);
    }

    /** Where each piece of work stands. */
    Map<OperationKey, OperationState> states(Collection<OperationKey> keys);

    /** How many operations the platform takes on at once in a region. */
    int maxInFlight(String regionId);

    /** Hosts the platform currently reports as failed, with a reason fit for operators. */
    Map<String, String> failedHosts();

    /** The network with this ID in the region, if it exists. */
    Optional<Network> network(String regionId, String networkId);

    /** The server's current state, or empty if it does not exist (yet, or any more). */
    Optional<ServerState> server(String serverId);
}
