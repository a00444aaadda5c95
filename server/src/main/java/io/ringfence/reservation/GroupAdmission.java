package io.ringfence.reservation;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.ringfence.audit.AuditLog;
import io.ringfence.capacity.Allocation;
import io.ringfence.capacity.TopologyHash;
import io.ringfence.contract.model.ReservationV2Create;
import io.ringfence.error.ApiException;
import io.ringfence.fleet.UnitType;
import io.ringfence.resource.ResourceTag;
import io.ringfence.work.WorkKind;
import io.ringfence.work.WorkQueue;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Admits creates that start now and run open-ended in groups, one transaction per group: the creates that arrive
 * while a group's transaction runs wait, and the next free committer admits all of them together. A group takes
 * each of its pools' locks once (in ascending order), decides its creates one after another in arrival order, as
 * they would have been decided alone, writes every reservation, work item and audit record in one statement each,
 * and commits once. Under load, the lock a pool's creates queue on is held once per group instead of once per
 * create, and the commit's flush to disk is shared.
 *
 * <p>A group never half-admits: when its transaction fails, every create in it is admitted alone, on its own
 * request's thread, with the retries a lone create has. A refusal in a group refuses that create only.
 */
@Component
public class GroupAdmission implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GroupAdmission.class);

    /** A create waiting for its group, checked and with its ID and audit record made on its request's thread. */
    record Candidate(String id, String subject, ReservationV2Create request, List<ResourceTag> tags, UnitType unitType,
                     BookingWindow window, AuditLog.AuditEvent auditRecord, CompletableFuture<Outcome> outcome) {
        Candidate(String id, String subject, ReservationV2Create request, List<ResourceTag> tags, UnitType unitType,
                  BookingWindow window, AuditLog.AuditEvent auditRecord) {
            this(id, subject, request, tags, unitType, window, auditRecord, new CompletableFuture<>());
        }

        int count() {
            return request.getSpec().getCount();
        }
    }

    /** What became of a create in a group. */
    sealed interface Outcome {
        /** Committed: the reservation as written. */
        record Accepted(ReservationRecord reservation) implements Outcome {
        }

        /** Did not fit: its 507, nothing written for it. */
        record Refused(ApiException refusal) implements Outcome {
        }

        /** Not admitted in a group (its transaction failed, or grouping is off or stopping): admit it alone. */
        record Alone() implements Outcome {
        }
    }

    private static final Outcome ALONE = new Outcome.Alone();

    private final AdmissionProperties properties;
    private final PoolAdmission pools;
    private final ReservationStore reservations;
    private final FreeUnitCache freeUnitCache;
    private final BookingCalendar calendar;
    private final WorkQueue work;
    private final AuditLog auditLog;
    private final TransactionTemplate transactions;
    private final DistributionSummary groupSize;
    private final LinkedBlockingQueue<Candidate> waiting = new LinkedBlockingQueue<>();
    private final List<Thread> committers = new ArrayList<>();
    private volatile boolean running;

    public GroupAdmission(AdmissionProperties properties, PoolAdmission pools, ReservationStore reservations,
                          FreeUnitCache freeUnitCache, BookingCalendar calendar, WorkQueue work, AuditLog auditLog,
                          TransactionTemplate transactions, MeterRegistry meters) {
        this.properties = properties;
        this.pools = pools;
        this.reservations = reservations;
        this.freeUnitCache = freeUnitCache;
        this.calendar = calendar;
        this.work = work;
        this.auditLog = auditLog;
        this.transactions = transactions;
        this.groupSize = DistributionSummary.builder("ringfence.admission.group.size")
                .description("creates admitted in one transaction").register(meters);
    }

    /** Waits for the candidate's group and answers its outcome; {@link Outcome.Alone} when no group will take it. */
    Outcome admit(Candidate candidate) {
        if (!running) {
            return ALONE;
        }
        waiting.add(candidate);
        if (!running) {
            passWaitingOn(); // stopped in between: no committer may be left to take it
        }
        return candidate.outcome().join();
    }

    /**
     * Admits {@code group} in one transaction and completes each candidate's outcome. Package-private so that tests
     * can form a group of their own choosing.
     */
    void admitTogether(List<Candidate> group) {
        Map<Candidate, Outcome> outcomes;
        try {
            outcomes = transactions.execute(status -> decideAndWrite(group));
        } catch (RuntimeException e) {
            if (e instanceof DataIntegrityViolationException) {
                // a unit claimed under the group's feet (an operator's manual claim, say): the lone creates allocate
                // again from the database, not from this replica's cached free set
                group.forEach(c -> freeUnitCache.forget(c.unitType().id()));
            }
            log.info("a group of {} creates failed; each is admitted alone: {}", group.size(), e.toString());
            outcomes = Map.of();
        }
        groupSize.record(group.size());
        for (Candidate candidate : group) {
            candidate.outcome().complete(outcomes.getOrDefault(candidate, ALONE));
        }
    }

    private Map<Candidate, Outcome> decideAndWrite(List<Candidate> group) {
        TreeMap<Long, List<Candidate>> byPool = new TreeMap<>();
        group.forEach(c -> byPool.computeIfAbsent(c.unitType().id(), p -> new ArrayList<>()).add(c));
        Map<Long, ReservationStore.FreeSetVersion> seen =
                reservations.lockCapacityPoolsAndReadVersions(byPool.navigableKeySet());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

        Map<Candidate, Outcome> outcomes = new IdentityHashMap<>();
        List<ReservationStore.Inserted> inserted = new ArrayList<>();
        List<AuditLog.AuditEvent> records = new ArrayList<>();
        Map<Long, FreeUnitCache.Entry> freeSets = new HashMap<>();
        Map<Long, List<String>> grantedUnits = new HashMap<>();
        List<Candidate> refused = new ArrayList<>();
        for (Map.Entry<Long, List<Candidate>> pool : byPool.entrySet()) {
            FreeUnitCache.Entry freeSet = pools.freeSet(pool.getKey(), seen.get(pool.getKey()));
            List<Candidate> members = pool.getValue();
            List<Allocation> decided = freeSet.index().allocateEach(members.stream().map(Candidate::count).toList());
            for (int i = 0; i < members.size(); i++) {
                Candidate c = members.get(i);
                if (decided.get(i) instanceof Allocation.Granted granted) {
                    ReservationRecord reservation = PoolAdmission.accepted(c.id(), c.subject(), c.request(), c.tags(),
                            c.unitType(), c.window(), granted,
                            TopologyHash.of(granted.podId(), freeSet.hostsOf(granted.unitIds())), now);
                    inserted.add(new ReservationStore.Inserted(reservation, granted.unitIds(),
                            c.window().booked(calendar.rules().turnaround(), now)));
                    if (c.auditRecord() != null) {
                        records.add(c.auditRecord());
                    }
                    freeSets.put(pool.getKey(), freeSet);
                    grantedUnits.computeIfAbsent(pool.getKey(), p -> new ArrayList<>()).addAll(granted.unitIds());
                    outcomes.put(c, new Outcome.Accepted(reservation));
                } else {
                    refused.add(c);
                }
            }
        }
        if (!inserted.isEmpty()) {
            write(inserted, records, freeSets, grantedUnits);
        }
        for (Candidate c : refused) {
            // described once the group's grants are written, so the largest set and the earliest start the calendar
            // names are those left after them
            outcomes.put(c, new Outcome.Refused(PoolAdmission.refusal(c.unitType(), c.count(), c.window(),
                    calendar.decide(c.unitType(), c.count(), c.window(), now))));
        }
        return outcomes;
    }

    private void write(List<ReservationStore.Inserted> inserted, List<AuditLog.AuditEvent> records,
                       Map<Long, FreeUnitCache.Entry> freeSets, Map<Long, List<String>> grantedUnits) {
        Map<Long, Long> decidedOn = new HashMap<>();
        freeSets.forEach((pool, freeSet) -> decidedOn.put(pool, freeSet.version()));
        Map<Long, Long> taken = reservations.insertAll(inserted, decidedOn);
        work.enqueueAll(WorkKind.RESERVATION, inserted.stream().map(i -> i.reservation().id()).toList());
        auditLog.recordAll(records);
        freeSets.forEach((pool, freeSet) -> pools.keepForNextCreate(pool, freeSet, grantedUnits.get(pool), null,
                taken));
    }

    private void commit() {
        List<Candidate> group = new ArrayList<>();
        while (running) {
            try {
                Candidate first = waiting.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                waiting.drainTo(group, properties.groupLimit() - 1);
                admitTogether(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Throwable t) {
                log.error("admitting a group failed; its creates are admitted alone", t);
            } finally {
                // whatever happened, no candidate of the group is left waiting
                group.forEach(c -> c.outcome().complete(ALONE));
                group.clear();
            }
        }
        passWaitingOn();
    }

    private void passWaitingOn() {
        for (Candidate c; (c = waiting.poll()) != null; ) {
            c.outcome().complete(ALONE);
        }
    }

    @Override
    public synchronized void start() {
        if (running || !properties.grouped()) {
            return;
        }
        running = true;
        for (int i = 0; i < properties.committers(); i++) {
            Thread committer = new Thread(this::commit, "admission-" + i);
            committer.setDaemon(true);
            committers.add(committer);
            committer.start();
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        for (Thread committer : committers) {
            try {
                committer.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        committers.clear();
        passWaitingOn();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
