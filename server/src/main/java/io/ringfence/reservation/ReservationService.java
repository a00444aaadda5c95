package io.ringfence.reservation;

import io.ringfence.audit.AuditTrail;
import io.ringfence.capacity.Allocation;
import io.ringfence.capacity.FreeUnitIndex;
import io.ringfence.capacity.TopologyHash;
import io.ringfence.calendar.CalendarDecision;
import io.ringfence.contract.model.ReservationV2Create;
import io.ringfence.contract.model.ReservationV2CreateSpec;
import io.ringfence.error.ApiError;
import io.ringfence.error.ApiException;
import io.ringfence.fleet.FleetStore;
import io.ringfence.fleet.UnitType;
import io.ringfence.idempotency.IdempotencyStore;
import io.ringfence.identity.Acl.Endpoint;
import io.ringfence.identity.Acl.Operation;
import io.ringfence.identity.Caller;
import io.ringfence.resource.ResourceIds;
import io.ringfence.resource.ResourceMetadata;
import io.ringfence.resource.ResourceTag;
import io.ringfence.storage.RowFeed;
import io.ringfence.work.WorkKind;
import io.ringfence.work.WorkQueue;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates, reads, lists and deletes reservations, and releases their units. Admission is synchronous: the units
 * are claimed inside the create's transaction under the capacity pool's lock, so a 202 means the capacity is held.
 * Every operation checks access first, through the caller, so a precondition never reveals a resource.
 */
@Service
public class ReservationService {

    private static final String CREATE_OPERATION = "createReservation";

    private final ReservationStore reservations;
    private final FleetStore fleet;
    private final WorkQueue work;
    private final IdempotencyStore idempotency;
    private final TransactionTemplate transactions;
    private final ReservationDependents dependents;
    private final AuditTrail audit;
    private final ApplicationEventPublisher events;
    private final BookingCalendar calendar;
    private final FreeUnitCache freeUnitCache;
    private final PoolAdmission pools;
    private final GroupAdmission groups;

    public ReservationService(ReservationStore reservations, FleetStore fleet, WorkQueue work,
                              IdempotencyStore idempotency, TransactionTemplate transactions,
                              ReservationDependents dependents, AuditTrail audit, ApplicationEventPublisher events,
                              BookingCalendar calendar, FreeUnitCache freeUnitCache, PoolAdmission pools,
                              GroupAdmission groups) {
        this.freeUnitCache = freeUnitCache;
        this.pools = pools;
        this.groups = groups;
        this.calendar = calendar;
        this.reservations = reservations;
        this.fleet = fleet;
        this.work = work;
        this.idempotency = idempotency;
        this.transactions = transactions;
        this.dependents = dependents;
        this.audit = audit;
        this.events = events;
    }

    /** An admission decision, for whoever counts them. */
    public record Admission(String regionId, boolean accepted, int units) {
    }

    /** A create whose chosen units turned out to be held when it wrote them; it allocates again. */
    public record AllocationConflict(String regionId) {
    }

    public ReservationRecord create(Caller caller, ReservationV2Create request, String idempotencyKey) {
        return create(caller, request, idempotencyKey, false);
    }

    /**
     * Admits a reservation: checks it, books its units over its window under the pool's lock and, when it starts at
     * once, claims them. A dry run takes every step of the real create, answers what it would answer, and rolls
     * everything back: nothing written, held, counted or audited.
     */
    public ReservationRecord create(Caller caller, ReservationV2Create request, String idempotencyKey,
                                    boolean dryRun) {
        ReservationV2CreateSpec spec = request.getSpec();
        if (dryRun) {
            audit.skip();
        }
        ResourceIds.requireOwner(spec.getOrganizationId(), "spec.organizationId");
        ResourceIds.requireOwner(spec.getProjectId(), "spec.projectId");
        ResourceMetadata.requireDescription(request.getMetadata().getDescription());
        List<ResourceTag> tags = ResourceTag.fromRequest(request.getMetadata().getTags());
        audit.about("reservation", null, spec.getOrganizationId(), spec.getProjectId());
        if (!caller.allows(Endpoint.RESERVATIONS, Operation.CREATE, spec.getOrganizationId(), spec.getProjectId())) {
            throw ApiException.forbidden();
        }
        UnitType unitType = fleet.unitType(spec.getRegionId(), spec.getAccelerator(), spec.getUnit())
                .orElseThrow(() -> ApiException.badRequest("region '" + spec.getRegionId() + "' does not offer "
                        + spec.getAccelerator() + "/" + spec.getUnit() + " reservation units"));
        BookingWindow window = BookingWindow.of(spec.getStartTime(), spec.getEndTime(), Instant.now(),
                calendar.rules());
        String requestHash = idempotencyKey == null ? null : idempotency.requestHash(request);
        String id = ResourceIds.newId();
        if (!dryRun && idempotencyKey == null && window.openEndedFromNow()) {
            // the common create: admitted in a group with those arriving at the same time (GroupAdmission)
            audit.about("reservation", id, spec.getOrganizationId(), spec.getProjectId());
            GroupAdmission.Outcome outcome = groups.admit(new GroupAdmission.Candidate(id, caller.subject(), request,
                    tags, unitType, window, audit.changeOf(202)));
            if (outcome instanceof GroupAdmission.Outcome.Accepted accepted) {
                audit.recordedElsewhere();
                events.publishEvent(new Admission(spec.getRegionId(), true, spec.getCount()));
                return accepted.reservation();
            }
            if (outcome instanceof GroupAdmission.Outcome.Refused refused) {
                audit.about("reservation", null, spec.getOrganizationId(), spec.getProjectId());
                events.publishEvent(new Admission(spec.getRegionId(), false, spec.getCount()));
                throw refused.refusal();
            }
            // alone, under the same ID: a group whose commit's outcome was lost cannot leave a second reservation
        }

        for (int attempt = 1; ; attempt++) {
            try {
                return transactions.execute(status -> {
                    ReservationRecord created = createInTransaction(caller, request, tags, unitType, window, id,
                            idempotencyKey, requestHash, dryRun);
                    if (dryRun) {
                        status.setRollbackOnly();
                    }
                    return created;
                });
            } catch (DataIntegrityViolationException e) {
                // A unit claimed or booked under our feet despite the pool lock (an operator's manual claim, say):
                // the unique claim key or the booking exclusion constraint caught it. Allocate again from the
                // database, not from this replica's cached free set, which would only choose the same unit again.
                freeUnitCache.forget(unitType.id());
                events.publishEvent(new AllocationConflict(spec.getRegionId()));
                if (attempt >= 3) {
                    throw e;
                }
            }
        }
    }

    /**
     * A create's own transaction, for what is not admitted in a group: dry runs, creates with an idempotency key,
     * windows and later starts, and any create whose group failed. The answer is the reservation as written
     * (pending, as it was accepted), not read back: the reconciler may move it a moment after the commit.
     * Everything that needs only the new ID (the work item, the audit record) is written before the pool's lock is
     * taken, since every create of the pool waits for that lock; under it come the decision and one statement with
     * the reservation, its bookings and claims.
     */
    private ReservationRecord createInTransaction(Caller caller, ReservationV2Create request, List<ResourceTag> tags,
                                                  UnitType unitType, BookingWindow window, String id,
                                                  String idempotencyKey, String requestHash, boolean dryRun) {
        ReservationV2CreateSpec spec = request.getSpec();
        Optional<String> earlier = idempotency.replay(caller.subject(), CREATE_OPERATION, idempotencyKey,
                requestHash, id);
        if (earlier.isPresent()) {
            // a replay answers the resource as it is now
            return reservations.find(earlier.get()).orElseThrow(ApiException::notFound);
        }
        int count = spec.getCount();
        audit.about("reservation", id, spec.getOrganizationId(), spec.getProjectId());
        work.enqueue(WorkKind.RESERVATION, id);
        if (!dryRun) {
            audit.changed(202);
        }
        FreeUnitCache.Entry freeSet;
        Allocation.Granted granted;
        Instant now;
        try {
            if (window.openEndedFromNow()) {
                freeSet = pools.freeSet(unitType.id(), reservations.lockCapacityPoolAndReadVersion(unitType.id()));
            } else {
                reservations.lockCapacityPool(unitType.id());
                freeSet = null;
            }
            now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            granted = freeSet != null ? allocateOpenEndedNow(unitType, count, window, now, dryRun, freeSet.index())
                    : allocateOverWindow(unitType, count, window, now, dryRun);
        } catch (ApiException refused) {
            // the refusal rolls the work item and the audit record back; the one recorded instead names no resource
            audit.about("reservation", null, spec.getOrganizationId(), spec.getProjectId());
            throw refused;
        }
        String topologyHash = !window.startsNow() ? null : TopologyHash.of(granted.podId(), freeSet != null
                ? freeSet.hostsOf(granted.unitIds()) : fleet.hostsByDomain(granted.unitIds()));
        ReservationRecord reservation = PoolAdmission.accepted(id, caller.subject(), request, tags, unitType, window,
                granted, topologyHash, now);
        ReservationStore.Booked booked = window.booked(calendar.rules().turnaround(), now);
        boolean keepFreeSet = freeSet != null && !dryRun;
        Map<Long, Long> taken = reservations.insertAll(
                List.of(new ReservationStore.Inserted(reservation, granted.unitIds(), booked)),
                keepFreeSet ? Map.of(unitType.id(), freeSet.version()) : Map.of());
        if (keepFreeSet) {
            pools.keepForNextCreate(unitType.id(), freeSet, granted.unitIds(), booked.until(), taken);
        }
        if (!dryRun) {
            events.publishEvent(new Admission(spec.getRegionId(), true, count));
        }
        return reservation;
    }

    /** Today's allocation: open-ended from now, over the units nobody holds or has booked at any later time. */
    private Allocation.Granted allocateOpenEndedNow(UnitType unitType, int count, BookingWindow window, Instant now,
                                                    boolean dryRun, FreeUnitIndex freeUnits) {
        Allocation allocation = freeUnits.allocate(count);
        if (allocation instanceof Allocation.Granted granted) {
            return granted;
        }
        // refused: the calendar knows when the same request would fit, for the description
        throw refusal(unitType, count, window, dryRun, calendar.decide(unitType, count, window, now));
    }

    /** A window, or a start later than now: the calendar allocator decides, over the whole window. */
    private Allocation.Granted allocateOverWindow(UnitType unitType, int count, BookingWindow window, Instant now,
                                                  boolean dryRun) {
        CalendarDecision decision = calendar.decide(unitType, count, window, now);
        if (decision instanceof CalendarDecision.Granted granted) {
            return new Allocation.Granted(granted.podId(), granted.unitIds());
        }
        throw refusal(unitType, count, window, dryRun, decision);
    }

    private ApiException refusal(UnitType unitType, int count, BookingWindow window, boolean dryRun,
                                 CalendarDecision decision) {
        if (!dryRun) {
            events.publishEvent(new Admission(unitType.regionId(), false, count));
        }
        return PoolAdmission.refusal(unitType, count, window, decision);
    }

    /** A reservation the caller may read, or 404 (also when it exists in an organization the caller can't see). */
    public ReservationRecord get(Caller caller, String id) {
        return caller.readable(reservations.find(id), Endpoint.RESERVATIONS);
    }

    /** A reservation the caller may change: 404 if it cannot even read it, 403 if it can only read it. */
    private ReservationRecord getForChange(Caller caller, String id, Operation operation) {
        ReservationRecord reservation = get(caller, id);
        audit.about("reservation", id, reservation.organizationId(), reservation.projectId());
        return caller.permitted(reservation, Endpoint.RESERVATIONS, operation);
    }

    /**
     * The reservations the caller may read among those the filters select, in answer order, read ahead: the first
     * are there when this returns (a query that fails, fails here), the rest arrive while the caller writes them.
     */
    public RowFeed<ReservationRecord> list(Caller caller, List<String> organizationIds, List<String> projectIds,
                                           List<String> regionIds, List<String> tagSelectors) {
        Set<String> organizations = caller.readableOrganizations(Endpoint.RESERVATIONS,
                organizationIds == null || organizationIds.isEmpty() ? null : new HashSet<>(organizationIds));
        List<ResourceTag> tags = ResourceTag.fromSelectors(tagSelectors);
        if (organizations != null && organizations.isEmpty()) {
            return RowFeed.of(List.of());
        }
        return reservations.listAhead(new ReservationFilter(organizations, ResourceIds.orEmpty(projectIds),
                        ResourceIds.orEmpty(regionIds), tags))
                .keeping(r -> caller.allows(Endpoint.RESERVATIONS, Operation.READ, r.organizationId(), r.projectId()));
    }

    public void delete(Caller caller, String id) {
        transactions.executeWithoutResult(status -> {
            ReservationRecord reservation = getForChange(caller, id, Operation.DELETE);
            // the pool's lock before the row's, as every change of a pool takes them
            Map<Long, ReservationStore.FreeSetVersion> seen = reservations.lockCapacityPoolsAndReadVersions(
                    new TreeSet<>(List.of(reservation.unitType().id())));
            if (reservations.markDeleting(id)) {
                List<String> held = reservations.heldDomains(List.of(id));
                // a booking not yet begun is cancelled; a running one ends now (plus the turnaround)
                reservations.endBookings(id);
                pools.keepAfterChange(seen, held);
            }
            // placements go first, with their servers; the reservation waits for them before letting go of units
            dependents.markDeleting(id).forEach(p -> work.enqueue(WorkKind.PLACEMENT, p));
            work.enqueue(WorkKind.RESERVATION, id);
            audit.changed(202);
        });
    }

    /**
     * Gives up whole, unoccupied units of a reservation for good (all or nothing). {@code ifMatch} must be the
     * reservation's current topology hash, so a client releases exactly the units it looked at.
     */
    public ReleasedUnits release(Caller caller, String id, Set<String> unitIds, String ifMatch) {
        ReservationRecord visible = getForChange(caller, id, Operation.UPDATE); // 404 or 403 first, so a
        // precondition never reveals a resource
        requireStarted(visible);
        if (ifMatch == null || ifMatch.isBlank()) {
            throw new ApiException(ApiError.PRECONDITION_REQUIRED,
                    "If-Match with the reservation's current topologyHash is required");
        }
        String expected = unquote(ifMatch.trim());
        try {
            return transactions.execute(status -> releaseInTransaction(caller, id, unitIds, expected));
        } catch (PessimisticLockingFailureException e) {
            throw ApiException.conflict("another change to this reservation is in progress; retry");
        } catch (DataAccessException e) {
            if (lockNotAvailable(e)) {
                throw ApiException.conflict("another change to this reservation is in progress; retry");
            }
            throw e;
        }
    }

    private ReleasedUnits releaseInTransaction(Caller caller, String id, Set<String> unitIds, String expected) {
        ReservationRecord reservation = getForChange(caller, id, Operation.UPDATE);
        if (reservation.deleting()) {
            throw ApiException.conflict("the reservation is being deleted");
        }
        reservations.lockCapacityPool(reservation.unitType().id());
        // a reconciler pass may hold the row for a moment; a change that holds it longer is a conflict (409)
        String current = reservations.lockForClaimChangeWithin(id, java.time.Duration.ofSeconds(1))
                .orElseThrow(() -> ApiException.conflict("the reservation is being deleted"));
        if (!current.equals(expected)) {
            throw new ApiException(ApiError.PRECONDITION_FAILED, "the reservation's topology has changed since it "
                    + "was read; read it again and retry with its current topologyHash");
        }
        List<ClaimedUnit> claimed = reservations.claimedUnitStates(id);
        Set<String> held = new HashSet<>();
        claimed.forEach(u -> held.add(u.domainId()));
        for (String unitId : unitIds) {
            if (!held.contains(unitId)) {
                throw ApiException.badRequest("request body invalid: unit '" + unitId
                        + "' is not held by this reservation");
            }
        }
        if (unitIds.size() >= claimed.size()) {
            throw ApiException.badRequest("request body invalid: a reservation keeps at least one unit; "
                    + "delete the reservation to give up all of them");
        }
        Map<String, List<ReservationDependents.Consumer>> blockers = dependents.consumersOf(id,
                List.copyOf(unitIds));
        if (!blockers.isEmpty()) {
            throw ApiException.withBody(ApiError.UNPROCESSABLE_CONTENT, "units still have placement consumers",
                    ReservationConversion.blockers(blockers));
        }
        List<String> remaining = claimed.stream().map(ClaimedUnit::domainId).filter(d -> !unitIds.contains(d))
                .toList();
        String hash = TopologyHash.of(reservation.status().podId(), fleet.hostsByDomain(remaining));
        List<String> released = claimed.stream().map(ClaimedUnit::domainId).filter(unitIds::contains).toList();
        reservations.releaseClaims(id, released, hash);
        released.forEach(d -> work.enqueue(WorkKind.UNIT_RELEASE, d));
        audit.action("release-units", "released units " + String.join(", ", released));
        audit.changed(200);
        return new ReleasedUnits(reservations.find(id).orElseThrow(ApiException::notFound),
                claimed.stream().filter(u -> unitIds.contains(u.domainId())).toList());
    }

    /** 409 for a reservation booked for later: it holds no units until its start. */
    public static void requireStarted(ReservationRecord reservation) {
        if (reservation.awaitingStart() && !reservation.deleting()) {
            throw ApiException.conflict("the reservation has not started: "
                    + ReservationProvisioner.scheduledToStart(reservation.spec().startTime()));
        }
    }

    /**
     * Moves the end of a reservation's window to {@code endTime}: later than its end (the same end changes
     * nothing), or any end for an open-ended one; 507 when another booking holds one of its units before then.
     */
    public ReservationRecord extend(Caller caller, String id, java.time.OffsetDateTime endTime) {
        if (endTime == null) {
            throw ApiException.badRequest("request body invalid: endTime is required");
        }
        Instant end = endTime.toInstant().truncatedTo(ChronoUnit.SECONDS);
        return transactions.execute(status -> {
            ReservationRecord reservation = getForChange(caller, id, Operation.UPDATE);
            if (reservation.deleting()) {
                throw ApiException.conflict("the reservation is being deleted");
            }
            Instant now = Instant.now();
            Instant current = reservation.spec().endTime();
            if (end.equals(current)) {
                return reservation;
            }
            if (current != null && end.isBefore(current)) {
                throw ApiException.badRequest("request body invalid: endTime " + end + " is earlier than the "
                        + "reservation's end " + current + "; a window is only ever extended");
            }
            if (!end.isAfter(now)) {
                throw ApiException.badRequest("request body invalid: endTime " + end + " is in the past");
            }
            Instant start = reservation.spec().startTime() != null ? reservation.spec().startTime()
                    : reservation.metadata().creationTime().truncatedTo(ChronoUnit.SECONDS);
            if (java.time.Duration.between(start, end).compareTo(calendar.rules().minimumWindow()) < 0) {
                throw ApiException.badRequest("request body invalid: the window from " + start + " to " + end
                        + " is shorter than the minimum of " + calendar.rules().minimumWindow());
            }
            reservations.lockCapacityPool(reservation.unitType().id());
            Optional<Instant> next = reservations.nextBookingOnItsUnits(id);
            Instant heldUntil = end.plus(calendar.rules().turnaround());
            if (next.isPresent() && next.get().isBefore(heldUntil)) {
                Instant latest = next.get().minus(calendar.rules().turnaround()).truncatedTo(ChronoUnit.SECONDS);
                throw new ApiException(ApiError.INSUFFICIENT_CAPACITY, "insufficient capacity: the reservation's "
                        + "units are booked by another reservation from " + next.get()
                        + "; the latest end possible is " + latest);
            }
            reservations.extend(id, end);
            work.enqueue(WorkKind.RESERVATION, id);
            audit.action("extend", "end moved from " + (current == null ? "open-ended" : current.toString())
                    + " to " + end);
            audit.changed(200);
            return reservations.find(id).orElseThrow(ApiException::notFound);
        });
    }

    /** PostgreSQL's {@code lock_not_available} (55P03), which Spring leaves uncategorized. */
    private static boolean lockNotAvailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "55P03".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static String unquote(String tag) {
        return tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"") ? tag.substring(1, tag.length() - 1) : tag;
    }

    /** The reservation after a release, and the units it gave up. */
    public record ReleasedUnits(ReservationRecord reservation, List<ClaimedUnit> units) {
    }
}
