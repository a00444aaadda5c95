package io.ringfence.provider;

import java.util.Map;

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
}
