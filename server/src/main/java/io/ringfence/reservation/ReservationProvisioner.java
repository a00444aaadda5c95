package io.ringfence.reservation;

import io.ringfence.work.Outcome;
import io.ringfence.work.Provisioner;
import io.ringfence.work.WorkKind;
import io.ringfence.work.WorkQueue;
import io.ringfence.audit.AuditTrail;
import io.ringfence.capacity.TopologyHash;
import io.ringfence.spares.SpareChooser;
import io.ringfence.fleet.FleetStore;
import io.ringfence.operations.PlatformOperations;
import io.ringfence.operations.TrackedOperation;
import io.ringfence.provider.OperationKey;
import io.ringfence.provider.OperationKind;
import io.ringfence.provider.PlatformOperation;
import io.ringfence.resource.ProvisioningStatus;
import io.ringfence.capacity.FreeUnit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Drives a reservation {@code pending -> provisioning -> provisioned}, keeps it healthy by swapping failed
 * units for spares in the same pod, and takes a deleted one through releasing its units to gone. It never waits
 * on the platform: each pass records the work it wants, starts what the platform's bound allows, records what
 * has finished, and yields until the platform expects the rest done. Every step is safe to repeat: state is
 * re-read at the start of each pass, each claim remembers whether the platform has prepared it, and platform
 * work is named by its key, so a repeat never starts it twice.
 */
@Component
public class ReservationProvisioner implements Provisioner {

    private final ReservationStore reservations;
    private final FleetStore fleet;
    private final PlatformOperations operations;
    private final ReservationDependents dependents;
    private final WorkQueue queue;
    private final AuditTrail audit;
    private final TransactionTemplate transactions;
    private final PoolAdmission pools;

    private static final Duration MIN_POLL = Duration.ofMillis(50);
    private static final Duration MAX_POLL = Duration.ofSeconds(2);

    public ReservationProvisioner(ReservationStore reservations, FleetStore fleet, PlatformOperations operations,
                                  ReservationDependents dependents, WorkQueue queue, AuditTrail audit,
                                  TransactionTemplate transactions, PoolAdmission pools) {
        this.reservations = reservations;
        this.fleet = fleet;
        this.operations = operations;
        this.dependents = dependents;
        this.queue = queue;
        this.audit = audit;
        this.transactions = transactions;
        this.pools = pools;
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
        Instant now = Instant.now();
        Instant end = reservation.spec().endTime();
        if (!reservation.deleting() && end != null && !now.isBefore(end)) {
            endWindow(reservation);
            return reconcile(reservationId);
        }
        if (reservation.deleting()) {
            return tearDown(reservation);
        }
        if (reservation.awaitingStart()) {
            Instant start = reservation.spec().startTime();
            if (start != null && now.isBefore(start)) {
                return new Outcome.Yield(Duration.between(now, start), scheduledToStart(start));
            }
            Optional<Outcome> waiting = start(reservation);
            if (waiting.isPresent()) {
                return waiting.get();
            }
            reservation = reservations.find(reservationId).orElseThrow();
        }
        if (reservation.status().provisioningStatus() == ProvisioningStatus.ERROR) {
            return end == null ? Outcome.done()
                    : new Outcome.Yield(Duration.between(now, end).plusMillis(1), "ends at " + end);
        }
        return prepare(List.of(reservation)).get(reservationId);
    }

    /**
     * Passes over many reservations at once. Those waiting for their units to be prepared (nearly all, under a
     * burst of creates), and deleted ones with no placements left, share every statement: one read of the
     * reservations, one of their claims, one {@link PlatformOperations#pursueAll}, one transaction for what became
     * ready or gone. The others (starting, ending, in error, deleted with placements) are left to a pass of their
     * own.
     */
    @Override
    public Map<String, Outcome> reconcileAll(List<String> reservationIds) {
        Map<String, Outcome> outcomes = new HashMap<>();
        Map<String, ReservationRecord> found = reservations.findAll(reservationIds);
        List<ReservationRecord> preparing = new ArrayList<>();
        List<ReservationRecord> deleting = new ArrayList<>();
        Instant now = Instant.now();
        for (String id : reservationIds) {
            ReservationRecord reservation = found.get(id);
            if (reservation == null) {
                outcomes.put(id, Outcome.done());
            } else if (reservation.deleting()) {
                deleting.add(reservation);
            } else if (!reservation.awaitingStart()
                    && reservation.status().provisioningStatus() != ProvisioningStatus.ERROR
                    && (reservation.spec().endTime() == null || now.isBefore(reservation.spec().endTime()))) {
                preparing.add(reservation);
            }
        }
        if (!preparing.isEmpty()) {
            outcomes.putAll(prepare(preparing));
        }
        if (!deleting.isEmpty()) {
            // those with placements left go alone: their placements are marked and queued first
            Set<String> withDependents = dependents.withDependents(deleting.stream().map(ReservationRecord::id).toList());
            outcomes.putAll(release(deleting.stream().filter(r -> !withDependents.contains(r.id())).toList()));
        }
        return outcomes;
    }

    /**
     * Drives started reservations to {@code provisioned}: wants a preparation of every unit not yet prepared, marks
     * those the platform finished, moves each reservation on, and heals those whose units hold failed hosts.
     */
    private Map<String, Outcome> prepare(List<ReservationRecord> started) {
        Map<String, List<ClaimedUnit>> claimedOf = reservations.claimedUnitStates(
                started.stream().map(ReservationRecord::id).toList());
        List<PlatformOperations.Pursuit> pursuits = new ArrayList<>();
        for (ReservationRecord reservation : started) {
            String id = reservation.id();
            pursuits.add(new PlatformOperations.Pursuit(reservation.spec().regionId(), id,
                    claimedOf.getOrDefault(id, List.of()).stream().filter(u -> !u.prepared())
                            .map(unit -> new PlatformOperation.PrepareUnit(unit.domainId(), unit.hosts(), id))
                            .toList()));
        }
        Map<String, Map<OperationKey, TrackedOperation>> workOf = operations.pursueAll(pursuits);
        Map<String, Outcome> outcomes = new HashMap<>();
        List<Progress> progress = new ArrayList<>();
        for (ReservationRecord reservation : started) {
            String id = reservation.id();
            List<ClaimedUnit> claimed = claimedOf.getOrDefault(id, List.of());
            List<ClaimedUnit> unprepared = claimed.stream().filter(u -> !u.prepared()).toList();
            Map<OperationKey, TrackedOperation> work = workOf.getOrDefault(id, Map.of());
            List<TrackedOperation> preparations = unprepared.stream().map(u -> work.get(prepareKey(u, id))).toList();
            if (preparations.stream().anyMatch(t -> t != null && t.failed())) {
                outcomes.put(id, new Outcome.Terminal("the platform could not prepare the reserved units"));
                continue;
            }
            List<ClaimedUnit> nowPrepared = unprepared.stream().filter(u -> {
                TrackedOperation preparation = work.get(prepareKey(u, id));
                return preparation != null && preparation.succeeded();
            }).toList();
            progress.add(new Progress(reservation, claimed, preparations, nowPrepared,
                    nowPrepared.size() == unprepared.size()));
        }
        transactions.executeWithoutResult(status -> {
            List<ReservationStore.ClaimOf> prepared = new ArrayList<>();
            List<String> toProvisioned = new ArrayList<>();
            List<String> observed = new ArrayList<>();
            List<String> toProvisioning = new ArrayList<>();
            for (Progress p : progress) {
                String id = p.reservation().id();
                ProvisioningStatus current = p.reservation().status().provisioningStatus();
                p.nowPrepared().forEach(unit -> prepared.add(new ReservationStore.ClaimOf(id, unit.domainId())));
                if (p.allPrepared() && current != ProvisioningStatus.PROVISIONED) {
                    toProvisioned.add(id);
                } else if (p.allPrepared() && !p.nowPrepared().isEmpty()) {
                    observed.add(id);
                } else if (!p.allPrepared() && current == ProvisioningStatus.PENDING) {
                    // written with the pass's other changes: a pass that prepares every unit goes straight on to
                    // provisioned, and saves the commit
                    toProvisioning.add(id);
                }
            }
            reservations.markPrepared(prepared);
            reservations.transition(toProvisioned, ProvisioningStatus.PROVISIONED);
            reservations.transition(toProvisioning, ProvisioningStatus.PROVISIONING);
            reservations.touchObserved(observed);
        });
        for (Progress p : progress) {
            ReservationRecord reservation = p.reservation();
            String id = reservation.id();
            if (!p.allPrepared()) {
                int ready = p.claimed().size() - (int) p.claimed().stream().filter(u -> !u.prepared()).count()
                        + p.nowPrepared().size();
                outcomes.put(id, new Outcome.Yield(PlatformOperations.lookAgain(p.preparations(), MIN_POLL, MAX_POLL),
                        "preparing units: " + ready + "/" + p.claimed().size() + " ready"));
            } else if (heal(reservation, p.claimed())) {
                outcomes.put(id, new Outcome.Yield(MIN_POLL, "preparing a replacement unit"));
            } else if (reservation.spec().endTime() != null) {
                // provisioned until its end: the item waits in the queue (across restarts) to end it on time
                Instant end = reservation.spec().endTime();
                outcomes.put(id, new Outcome.Yield(Duration.between(Instant.now(), end).plusMillis(1), "ends at " + end));
            } else {
                outcomes.put(id, Outcome.done());
            }
        }
        return outcomes;
    }

    /** Where one reservation's preparation stands after this pass asked the platform. */
    private record Progress(ReservationRecord reservation, List<ClaimedUnit> claimed,
                            List<TrackedOperation> preparations, List<ClaimedUnit> nowPrepared, boolean allPrepared) {
    }

    /** The message a reservation booked for later shows until its start. */
    public static String scheduledToStart(Instant start) {
        return "scheduled to start at " + start;
    }

    /**
     * A booked reservation's start: booked domains that failed or drain meanwhile are swapped for healthy ones of the
     * same pod that are free for the rest of the window (as self-healing does); then its domains are claimed and
     * its hash set. Waits (empty result aside) while its last tenant still holds a domain.
     */
    private Optional<Outcome> start(ReservationRecord reservation) {
        String id = reservation.id();
        return transactions.execute(status -> {
            reservations.lockCapacityPool(reservation.unitType().id());
            if (!reservations.lockBooked(id)) {
                return Optional.<Outcome>of(Outcome.done());
            }
            List<ReservationStore.BookedUnit> booked = reservations.bookedUnits(id);
            List<String> domains = new ArrayList<>(booked.stream().map(ReservationStore.BookedUnit::domainId).toList());
            for (ReservationStore.BookedUnit unit : booked) {
                if (!unit.unusable()) {
                    continue;
                }
                Optional<FreeUnit> spare = reservations.spareUnitsFor(id, unit.podId()).stream()
                        .filter(u -> !domains.contains(u.unitId()))
                        .min(java.util.Comparator.comparingInt(u -> Math.abs(u.position() - unit.position())));
                if (spare.isPresent()) {
                    reservations.moveBooking(id, unit.domainId(), spare.get().unitId());
                    domains.set(domains.indexOf(unit.domainId()), spare.get().unitId());
                    audit.bySystem(reservation.organizationId(), reservation.projectId(), "reservation", id,
                            "swap-unit", "booked unit " + unit.domainId() + " is unusable at the start; booked "
                                    + spare.get().unitId() + " of pod " + unit.podId() + " instead");
                }
            }
            long held = reservations.bookedUnits(id).stream().filter(ReservationStore.BookedUnit::stillHeld).count();
            if (held > 0) {
                reservations.transition(id, ProvisioningStatus.PROVISIONING, null);
                return Optional.<Outcome>of(new Outcome.Yield(Duration.ofSeconds(1), "waiting for " + held
                        + (held == 1 ? " unit" : " units") + " to be handed back by the platform"));
            }
            domains.sort(null);
            reservations.claimBooked(id, TopologyHash.of(reservation.status().podId(), fleet.hostsByDomain(domains)));
            audit.bySystem(reservation.organizationId(), reservation.projectId(), "reservation", id, "start",
                    "the window began; claimed " + domains.size() + (domains.size() == 1 ? " unit" : " units"));
            return Optional.<Outcome>empty();
        });
    }

    /** The window is over: the reservation goes as a delete takes it (placements, servers, units, then itself). */
    private void endWindow(ReservationRecord reservation) {
        String id = reservation.id();
        transactions.executeWithoutResult(status -> {
            if (reservations.markDeleting(id)) {
                reservations.endBookings(id);
                dependents.markDeleting(id).forEach(p -> queue.enqueue(WorkKind.PLACEMENT, p));
                audit.bySystem(reservation.organizationId(), reservation.projectId(), "reservation", id, "end",
                        "the window ended at " + reservation.spec().endTime());
            }
        });
    }

    /**
     * A deleted reservation: its placements go first (units are released only after every server on them is
     * gone), then every unit is handed back to the platform; once all are, the reservation and its claims go.
     */
    private Outcome tearDown(ReservationRecord reservation) {
        String reservationId = reservation.id();
        if (dependents.count(reservationId) > 0) {
            transactions.executeWithoutResult(status ->
                    dependents.markDeleting(reservationId).forEach(p -> queue.enqueue(WorkKind.PLACEMENT, p)));
            return new Outcome.Yield(Duration.ofMillis(500), "deleting the reservation's placements first");
        }
        return release(List.of(reservation)).get(reservationId);
    }

    /**
     * Deleted reservations without placements: every unit is handed back to the platform; the reservations whose
     * units all are go, with their claims, in one transaction.
     */
    private Map<String, Outcome> release(List<ReservationRecord> deleted) {
        Map<String, List<ClaimedUnit>> claimedOf = reservations.claimedUnitStates(
                deleted.stream().map(ReservationRecord::id).toList());
        Map<String, Map<OperationKey, TrackedOperation>> workOf = operations.pursueAll(deleted.stream()
                .map(r -> new PlatformOperations.Pursuit(r.spec().regionId(), r.id(),
                        claimedOf.getOrDefault(r.id(), List.of()).stream()
                                .map(unit -> new PlatformOperation.ReleaseUnit(unit.domainId(), unit.hosts(), r.id()))
                                .toList()))
                .toList());
        Map<String, Outcome> outcomes = new HashMap<>();
        List<String> gone = new ArrayList<>();
        for (ReservationRecord reservation : deleted) {
            String id = reservation.id();
            List<ClaimedUnit> claimed = claimedOf.getOrDefault(id, List.of());
            Map<OperationKey, TrackedOperation> work = workOf.getOrDefault(id, Map.of());
            List<TrackedOperation> releases = claimed.stream().map(u -> work.get(releaseKey(u.domainId(), id))).toList();
            long released = releases.stream().filter(t -> t != null && t.succeeded()).count();
            if (released < claimed.size()) {
                outcomes.put(id, new Outcome.Yield(PlatformOperations.lookAgain(releases, MIN_POLL, MAX_POLL),
                        "releasing units: " + released + "/" + claimed.size() + " handed back"));
            } else {
                gone.add(id);
                outcomes.put(id, Outcome.done());
            }
        }
        if (!gone.isEmpty()) {
            transactions.executeWithoutResult(status -> {
                // the pools' locks first, as every change of a pool takes them, then the rows
                Map<Long, ReservationStore.FreeSetVersion> seen = reservations.lockCapacityPoolsAndReadVersions(
                        deleted.stream().filter(r -> gone.contains(r.id())).map(r -> r.unitType().id())
                                .collect(Collectors.toCollection(TreeSet::new)));
                List<String> held = reservations.heldDomains(gone);
                reservations.delete(gone);
                operations.forget(gone);
                pools.keepAfterChange(seen, held);
            });
        }
        return outcomes;
    }

    @Override
    public void failed(String reservationId, String reason) {
        reservations.transition(reservationId, ProvisioningStatus.ERROR, "the platform could not prepare the reserved units");
    }

    @Override
    public void waiting(String reservationId, String reason) {
        reservations.setStatusMessage(reservationId, reason);
    }

    @Override
    public void waitingAll(Map<String, String> reasons) {
        reservations.setStatusMessages(reasons);
    }

    static OperationKey prepareKey(ClaimedUnit unit, String reservationId) {
        return new OperationKey(OperationKind.PREPARE_UNIT, unit.domainId(), reservationId, 0);
    }

    static OperationKey releaseKey(String domainId, String reservationId) {
        return new OperationKey(OperationKind.RELEASE_UNIT, domainId, reservationId, 0);
    }

    /** Writes the owner's health note, unless this pass read it as it is already (most passes). */
    private void noteHealth(ReservationRecord reservation, String note) {
        if (!java.util.Objects.equals(reservation.status().healthNote(), note)) {
            reservations.setHealthNote(reservation.id(), note);
        }
    }

    /**
     * Swaps each claimed unit with a failed host for a healthy spare in the same pod, unless servers run on it.
     * Returns whether anything was swapped. What could not be healed is noted for the owner. {@code claimed} is
     * this pass's reading of the claims: a host that fails after it wakes the reservation for another pass.
     */
    private boolean heal(ReservationRecord reservation, List<ClaimedUnit> claimed) {
        List<ClaimedUnit> failing = claimed.stream().filter(u -> u.unhealthyHosts() > 0).toList();
        if (failing.isEmpty()) {
            noteHealth(reservation, null);
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
            } else {
                notes.add("no healthy spare unit in its pod to replace unit " + unit.domainName());
            }
        }
        noteHealth(reservation, notes.isEmpty() ? null : String.join("; ", notes));
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
                reservations.spareUnitsFor(reservation.id(), failed.podId()).stream()
                        .map(u -> new SpareChooser.FleetUnit(u.unitId(), u.podId(), u.position(), true, false, false))
                        .toList());
        if (spare.isEmpty()) {
            return Optional.empty();
        }
        List<String> domains = new ArrayList<>();
        current.stream().map(ClaimedUnit::domainId).filter(d -> !d.equals(failed.domainId())).forEach(domains::add);
        domains.add(spare.get().unitId());
        String hash = TopologyHash.of(failed.podId(), new LinkedHashMap<>(fleet.hostsByDomain(domains)));
        reservations.swapClaim(reservation.id(), failed.domainId(), spare.get().unitId(), hash);
        queue.enqueue(WorkKind.UNIT_RELEASE, failed.domainId());
        audit.bySystem(reservation.organizationId(), reservation.projectId(), "reservation", reservation.id(),
                "swap-unit",
                "replaced unit " + failed.domainId() + " (" + failed.unhealthyHosts() + " failed hosts) with "
                        + spare.get().unitId() + " in pod " + failed.podId());
        return Optional.of(spare.get().unitId());
    }
}
