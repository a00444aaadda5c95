package io.ringfence.provider;

import java.util.Map;
import java.util.Optional;

/**
 * What Ringfence asks of the bare-metal platform. Every operation is idempotent and names the reservation it
 * acts for, so that a repeat after a crash is harmless and a late release can never undo a newer owner's
 * preparation. Implementations never touch Ringfence's database; failures are thrown as
 * {@link ProviderException}, whose message is for operators' logs, never for users.
 */
public interface BareMetalProvider {

    /** Makes a claimed unit ready for a reservation (fencing, partition keys, switch ports). */
    void prepareUnit(UnitRef unit, String reservationId);

    /** Returns a unit to the free pool, if {@code reservationId} still holds it at the platform. */
    void releaseUnit(UnitRef unit, String reservationId);

    /** Hosts the platform currently reports as failed, with a reason fit for operators. */
    Map<String, String> failedHosts();

    /** The network with this ID in the region, if it exists. */
    Optional<Network> network(String regionId, String networkId);

    /** Creates a server pinned to a host; repeating it for the same server ID changes nothing. */
    void createServer(ServerRequest request);

    /** The server's current state, or empty once it is gone. */
    Optional<ServerState> server(String serverId);

    /** Deletes the server; deleting one that is gone is fine. */
    void deleteServer(String serverId);

    void power(String serverId, PowerOperation operation);

    /** Rebuilds the server in place with another image; the host and its pin stay, local disks are wiped. */
    void reimage(String serverId, String imageId);
}
