package io.ringfence.reservation;

import io.ringfence.work.Outcome;
import io.ringfence.work.Provisioner;
import io.ringfence.work.WorkKind;
import io.ringfence.work.WorkQueue;
import io.ringfence.audit.AuditTrail;
import io.ringfence.capacity.TopologyHash;
import io.ringfence.spares.SpareChooser;
import io.ringfence.fleet.FleetStore;
import io.ringfence.provider.BareMetalProvider;
import io.ringfence.provider.ProviderException;
import io.ringfence.provider.UnitRef;
import io.ringfence.resource.ProvisioningStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Drives a reservation {@code pending -> provisioning -> provisioned}, keeps it healthy by swapping failed
 * units for spares in the same pod, and takes a deleted one through releasing its units to gone. Every step
 * is safe to repeat: state is re-read at the start of each pass, each claim remembers whether the platform has
 * prepared it, and the platform's operations are idempotent per reservation.
 */
@Component
public class ReservationProvisioner implements Provisioner {

    private final ReservationStore reservations;
    private final FleetStore fleet;
    private final BareMetalProvider provider;
    private final ReservationDependents dependents;
    private final WorkQueue work;
    private final AuditTrail audit;
    private final TransactionTemplate transactions;

    public ReservationProvisioner(ReservationStore reservations, FleetStore fleet, BareMetalProvider provider,
                                  ReservationDependents dependents, WorkQueue work, AuditTrail audit,
                                  TransactionTemplate transactions) {
        this.reservations = reservations;
        this.fleet = fleet;
        this.provider = provider;
        this.dependents = dependents;
        this.work = work;
        this.audit = audit;
        this.transactions = transactions;
    }

    @Override
    public WorkKind kind() {
        return WorkKind.RESERVATION;
    }

    @Override
    public Outcome reconcile(String reservationId) {
        Optional<ReservationRecord> found = reservations.find(reservationId);
        if (found.isEmpty()) {
            return Outcome.done();
        }
        ReservationRecord reservation = found.get();
        if (reservation.deleting()) {
            if (dependents.count(reservationId) > 0) {
                // units are released only after every server on them is gone
                dependents.markDeleting(reservationId).forEach(p -> work.enqueue(WorkKind.PLACEMENT, p));
                return new Outcome.Yield(Duration.ofMillis(500), "deleting the reservation's placements first");
            }
            for (ClaimedUnit unit : reservations.claimedUnitStates(reservationId)) {
                provider.releaseUnit(ref(unit), reservationId);
            }
            reservations.delete(reservationId);
            return Outcome.done();
        }
        ProvisioningStatus current = reservation.status().provisioningStatus();
        if (current == ProvisioningStatus.ERROR) {
            return Outcome.done();
        }
        if (current == ProvisioningStatus.PENDING) {
            reservations.transition(reservationId, ProvisioningStatus.PROVISIONING, null);
        }
        // the platform first, then one commit that records every prepared unit and the new status
        List<ClaimedUnit> prepared = prepareUnprepared(reservationId);
        transactions.executeWithoutResult(status -> {
            prepared.forEach(unit -> reservations.markPrepared(reservationId, unit.domainId()));
            if (current != ProvisioningStatus.PROVISIONED) {
                reservations.transition(reservationId, ProvisioningStatus.PROVISIONED, null);
            } else {
                reservations.touchObserved(reservationId);
            }
        });
        if (heal(reservation)) {
            List<ClaimedUnit> replacements = prepareUnprepared(reservationId);
            replacements.forEach(unit -> reservations.markPrepared(reservationId, unit.domainId()));
        }
        return Outcome.done();
    }

    @Override
    public boolean permanent(RuntimeException failure) {
        return ProviderException.permanent(failure);
    }

    @Override
    public void failed(String reservationId, String reason) {
        reservations.transition(reservationId, ProvisioningStatus.ERROR, "the platform could not prepare the reserved units");
    }

    @Override
    public void waiting(String reservationId, String reason) {
        reservations.setStatusMessage(reservationId, reason);
    }

    /** Asks the platform to prepare every claimed unit not yet prepared; returns them for the caller to record. */
    private List<ClaimedUnit> prepareUnprepared(String reservationId) {
        List<ClaimedUnit> prepared = new ArrayList<>();
        for (ClaimedUnit unit : reservations.claimedUnitStates(reservationId)) {
            if (!unit.prepared()) {
                provider.prepareUnit(ref(unit), reservationId);
                prepared.add(unit);
            }
        }
        return prepared;
    }

    /**
     * Swaps each claimed unit with a failed host for a healthy spare in the same pod, unless servers run on it.
     * Returns whether anything was swapped. What could not be healed is noted for the owner.
     */
    private boolean heal(ReservationRecord reservation) {
        List<ClaimedUnit> claimed = reservations.claimedUnitStates(reservation.id());
        List<ClaimedUnit> failing = claimed.stream().filter(u -> u.unhealthyHosts() > 0).toList();
        if (failing.isEmpty()) {
            reservations.setHealthNote(reservation.id(), null);
            return false;
        }
        Map<String, List<ReservationDependents.Consumer>> used = dependents.consumersOf(reservation.id(),
                failing.stream().map(ClaimedUnit::domainId).toList());
        List<String> notes = new ArrayList<>();
        boolean swapped = false;
        for (ClaimedUnit unit : failing) {
            if (used.containsKey(unit.domainId())) {
                notes.add("unit " + unit.domainName() + " has servers on it and is not replaced under them");
                continue;
            }
            Optional<String> spare = transactions.execute(status -> swap(reservation, unit));
            if (spare.isPresent()) {
                swapped = true;
                work.enqueue(WorkKind.UNIT_RELEASE, unit.domainId());
            } else {
                notes.add("no healthy spare unit in its pod to replace unit " + unit.domainName());
            }
        }
        reservations.setHealthNote(reservation.id(), notes.isEmpty() ? null : String.join("; ", notes));
        return swapped;
    }

    private Optional<String> swap(ReservationRecord reservation, ClaimedUnit failed) {
        reservations.lockCapacityPool(reservation.unitType().id());
        if (reservations.lockForClaimChange(reservation.id()).isEmpty()) {
            return Optional.empty();
        }
        // re-read under the locks: the unit may have healed, or the claim changed, since we looked
        List<ClaimedUnit> current = reservations.claimedUnitStates(reservation.id());
        Optional<SpareChooser.Spare> spare = SpareChooser.choose(failed.domainId(),
                current.stream().map(u -> new SpareChooser.HeldUnit(u.domainId(), u.podId(), u.position(),
                        u.unhealthyHosts() == 0)).toList(),
                reservations.spareUnits(failed.podId()).stream().map(u -> new SpareChooser.FleetUnit(u.unitId(),
                        u.podId(), u.position(), true, false, false)).toList());
        if (spare.isEmpty()) {
            return Optional.empty();
        }
        List<String> domains = new ArrayList<>();
        current.stream().map(ClaimedUnit::domainId).filter(d -> !d.equals(failed.domainId())).forEach(domains::add);
        domains.add(spare.get().unitId());
        String hash = TopologyHash.of(failed.podId(), new LinkedHashMap<>(fleet.hostsByDomain(domains)));
        reservations.swapClaim(reservation.id(), failed.domainId(), spare.get().unitId(), hash);
        audit.bySystem(reservation.organizationId(), reservation.projectId(), "reservation", reservation.id(),
                "swap-unit",
                "replaced unit " + failed.domainId() + " (" + failed.unhealthyHosts() + " failed hosts) with "
                        + spare.get().unitId() + " in pod " + failed.podId());
        return Optional.of(spare.get().unitId());
    }


    private static UnitRef ref(ClaimedUnit unit) {
        return new UnitRef(unit.domainId(), unit.hosts());
    }
}
