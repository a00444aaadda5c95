package io.ringfence.provider;

/**
 * What Ringfence asks of the bare-metal platform. Every operation is idempotent: the reconciler may repeat it
 * after a crash. Implementations never touch Ringfence's database; failures are thrown as
 * {@link ProviderException}, whose message is for operators' logs, never for users.
 */
public interface BareMetalProvider {

    /** Makes a claimed unit ready for its reservation (fencing, partition keys, switch ports). */
    void prepareUnit(UnitRef unit);

    /** Returns a unit to the free pool after its reservation let go of it. */
    void releaseUnit(UnitRef unit);
}
