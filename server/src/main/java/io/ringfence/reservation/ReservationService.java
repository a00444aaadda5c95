package io.ringfence.reservation;

import io.ringfence.capacity.Allocation;
import io.ringfence.capacity.Allocator;
import io.ringfence.capacity.CapacitySnapshot;
import io.ringfence.capacity.TopologyHash;
import io.ringfence.contract.model.ReservationV2Create;
import io.ringfence.contract.model.ReservationV2CreateSpec;
import io.ringfence.fleet.FleetRepository;
import io.ringfence.fleet.UnitType;
import io.ringfence.idempotency.IdempotencyStore;
import io.ringfence.identity.Acl.Endpoint;
import io.ringfence.identity.Acl.Operation;
import io.ringfence.identity.Caller;
import io.ringfence.work.WorkKind;
import io.ringfence.work.WorkQueue;
import io.ringfence.error.ApiError;
import io.ringfence.error.ApiException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import io.micrometer.core.instrument.MeterRegistry;
import io.ringfence.audit.AuditDetails;
import io.ringfence.audit.AuditLog;
import java.util.Map;
import org.slf4j.MDC;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates, reads, lists and deletes reservations. Admission is synchronous: the units are claimed inside the
 * create's transaction under the capacity pool's lock, so a 202 means the capacity is held.
 */
@Service
public class ReservationService {

    private static final String CREATE_OPERATION = "createReservation";
    private static final int MAX_ID_LENGTH = 63;

    private final ReservationRepository reservations;
    private final FleetRepository fleet;
    private final WorkQueue work;
    private final IdempotencyStore idempotency;
    private final TransactionTemplate transactions;
    private final UnitConsumers consumers;
    private final AuditLog audit;
    private final MeterRegistry meters;

    public ReservationService(ReservationRepository reservations, FleetRepository fleet, WorkQueue work,
                              IdempotencyStore idempotency, TransactionTemplate transactions,
                              UnitConsumers consumers, AuditLog audit, MeterRegistry meters) {
        this.meters = meters;
        this.consumers = consumers;
        this.audit = audit;
        this.reservations = reservations;
        this.fleet = fleet;
        this.work = work;
        this.idempotency = idempotency;
        this.transactions = transactions;
    }

    public ReservationRecord create(Caller caller, ReservationV2Create request, String idempotencyKey) {
        ReservationV2CreateSpec spec = request.getSpec();
        requireId(spec.getOrganizationId(), "spec.organizationId");
        requireId(spec.getProjectId(), "spec.projectId");
        List<ResourceTag> tags = ResourceTag.fromRequest(request.getMetadata().getTags());
        AuditDetails.resource("reservation", null, spec.getOrganizationId(), spec.getProjectId());
        if (!caller.allows(Endpoint.RESERVATIONS, Operation.CREATE, spec.getOrganizationId(), spec.getProjectId())) {
            throw ApiException.forbidden();
        }
        UnitType unitType = fleet.unitType(spec.getRegionId(), spec.getAccelerator(), spec.getUnit())
                .orElseThrow(() -> ApiException.badRequest("region '" + spec.getRegionId() + "' does not offer "
                        + spec.getAccelerator() + "/" + spec.getUnit() + " reservation units"));
        String requestHash = idempotencyKey == null ? null : idempotency.requestHash(request);

        for (int attempt = 1; ; attempt++) {
            try {
                // read back before commit, so the answer shows the reservation as it was accepted (pending),
                // not as the reconciler may have moved it a moment later
                return transactions.execute(status -> reservations.find(createInTransaction(caller, request, tags,
                        unitType, idempotencyKey, requestHash)).orElseThrow(ApiException::notFound));
            } catch (DuplicateKeyException e) {
                // A unit claimed under our feet despite the pool lock (an operator's manual claim, say): the
                // unique claim constraint caught it; take a fresh snapshot and allocate again.
                if (attempt >= 3) {
                    throw e;
                }
            }
        }
    }

    private String createInTransaction(Caller caller, ReservationV2Create request, List<ResourceTag> tags,
                                       UnitType unitType, String idempotencyKey, String requestHash) {
        ReservationV2CreateSpec spec = request.getSpec();
        String id = ReservationIds.newId();
        if (idempotencyKey != null) {
            Optional<IdempotencyStore.Earlier> earlier = idempotency.claim(caller.subject(), CREATE_OPERATION,
                    idempotencyKey, requestHash, id);
            if (earlier.isPresent()) {
                if (!earlier.get().requestHash().equals(requestHash)) {
                    throw ApiException.badRequest("Idempotency-Key was already used with a different request body");
                }
                return earlier.get().resourceId();
            }
        }
        int count = spec.getCount();
        reservations.lockCapacityPool(unitType.id());
        Allocation allocation = Allocator.allocate(CapacitySnapshot.of(reservations.freeUnits(unitType.id())), count);
        if (allocation instanceof Allocation.Insufficient insufficient) {
            meters.counter("ringfence.admission", "outcome", "insufficient_capacity", "region", spec.getRegionId())
                    .increment();
            meters.summary("ringfence.admission.refused.units", "region", spec.getRegionId()).record(count);
            throw new ApiException(ApiError.INSUFFICIENT_CAPACITY, "insufficient capacity: " + count + " contiguous "
                    + spec.getAccelerator() + "/" + spec.getUnit() + " units requested in region "
                    + spec.getRegionId() + ", but the largest contiguous set available is "
                    + insufficient.largestContiguous());
        }
        Allocation.Granted granted = (Allocation.Granted) allocation;
        String topologyHash = TopologyHash.of(granted.podId(), fleet.hostsByDomain(granted.unitIds()));
        AuditDetails.resource("reservation", id, spec.getOrganizationId(), spec.getProjectId());
        reservations.insert(new ReservationRepository.NewReservation(id, request.getMetadata().getName(),
                request.getMetadata().getDescription(), tags, spec.getOrganizationId(), spec.getProjectId(),
                spec.getRegionId(), spec.getAccelerator(), spec.getUnit(), count, unitType.id(), granted.podId(),
                granted.unitIds(), topologyHash, caller.subject(), Instant.now()));
        work.enqueue(WorkKind.RESERVATION, id);
        meters.counter("ringfence.admission", "outcome", "accepted", "region", spec.getRegionId()).increment();
        return id;
    }

    /** A reservation the caller may read, or 404 (also when it exists in an organization the caller can't see). */
    public ReservationRecord get(Caller caller, String id) {
        return reservations.find(id)
                .filter(r -> caller.allows(Endpoint.RESERVATIONS, Operation.READ, r.organizationId(), r.projectId()))
                .orElseThrow(ApiException::notFound);
    }

    /** A reservation the caller may change: 404 if it cannot even read it, 403 if it can only read it. */
    public ReservationRecord getForChange(Caller caller, String id, Operation operation) {
        ReservationRecord reservation = get(caller, id);
        AuditDetails.resource("reservation", id, reservation.organizationId(), reservation.projectId());
        if (!caller.allows(Endpoint.RESERVATIONS, operation, reservation.organizationId(), reservation.projectId())) {
            throw ApiException.forbidden();
        }
        return reservation;
    }

    public List<ReservationRecord> list(Caller caller, List<String> organizationIds, List<String> projectIds,
                                        List<String> regionIds, List<String> tagSelectors) {
        Set<String> organizations = caller.readableOrganizations(Endpoint.RESERVATIONS,
                organizationIds == null || organizationIds.isEmpty() ? null : new HashSet<>(organizationIds));
        List<ResourceTag> tags = new ArrayList<>();
        for (String selector : nonNull(tagSelectors)) {
            try {
                tags.add(ResourceTag.parseSelector(selector));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(e.getMessage());
            }
        }
        if (organizations != null && organizations.isEmpty()) {
            return List.of();
        }
        return reservations.list(new ReservationFilter(organizations, nonNull(projectIds), nonNull(regionIds), tags))
                .stream()
                .filter(r -> caller.allows(Endpoint.RESERVATIONS, Operation.READ, r.organizationId(), r.projectId()))
                .toList();
    }

    public void delete(Caller caller, String id) {
        transactions.executeWithoutResult(status -> {
            getForChange(caller, id, Operation.DELETE);
            reservations.markDeleting(id);
            // placements go first, with their servers; the reservation waits for them before letting go of units
            reservations.markPlacementsDeleting(id).forEach(p -> work.enqueue(WorkKind.PLACEMENT, p));
            work.enqueue(WorkKind.RESERVATION, id);
        });
    }

    /**
     * Gives up whole, unoccupied units of a reservation for good (all or nothing). {@code ifMatch} must be the
     * reservation's current topology hash, so a client releases exactly the units it looked at.
     */
    public ReleasedUnits release(Caller caller, String id, Set<String> unitIds, String ifMatch) {
        getForChange(caller, id, Operation.UPDATE); // 404 or 403 first, so a precondition never reveals a resource
        if (ifMatch == null || ifMatch.isBlank()) {
            throw new ApiException(ApiError.PRECONDITION_REQUIRED, "If-Match with the reservation's current topologyHash is required");
        }
        String expected = unquote(ifMatch.trim());
        try {
            return transactions.execute(status -> {
                ReservationRecord reservation = getForChange(caller, id, Operation.UPDATE);
                if (reservation.deletionTime() != null) {
                    throw ApiException.conflict("the reservation is being deleted");
                }
                reservations.lockCapacityPool(reservation.unitTypeId());
                String current = reservations.lockForClaimChangeNoWait(id)
                        .orElseThrow(() -> ApiException.conflict("the reservation is being deleted"));
                if (!current.equals(expected)) {
                    throw new ApiException(ApiError.PRECONDITION_FAILED, "the reservation's topology has changed since it was read; "
                            + "read it again and retry with its current topologyHash");
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
                Map<String, List<UnitConsumers.Consumer>> blockers = consumers.of(id, List.copyOf(unitIds));
                if (!blockers.isEmpty()) {
                    throw ApiException.withBody(ApiError.UNPROCESSABLE_CONTENT, "units still have placement consumers", blockers(blockers));
                }
                List<String> remaining = claimed.stream().map(ClaimedUnit::domainId)
                        .filter(d -> !unitIds.contains(d)).toList();
                String hash = TopologyHash.of(reservation.podId(), fleet.hostsByDomain(remaining));
                List<String> released = claimed.stream().map(ClaimedUnit::domainId).filter(unitIds::contains).toList();
                reservations.releaseClaims(id, released, hash);
                released.forEach(d -> work.enqueue(WorkKind.UNIT_RELEASE, d));
                audit.record(new AuditLog.AuditEvent(null, caller.subject(), caller.subject(),
                        reservation.organizationId(), reservation.projectId(), "reservation", id, "release-units", 200,
                        MDC.get("trace_id"), "released units " + String.join(", ", released)));
                return new ReleasedUnits(reservations.find(id).orElseThrow(ApiException::notFound),
                        claimed.stream().filter(u -> unitIds.contains(u.domainId())).toList());
            });
        } catch (PessimisticLockingFailureException e) {
            throw ApiException.conflict("another change to this reservation is in progress; retry");
        } catch (org.springframework.dao.DataAccessException e) {
            if (lockNotAvailable(e)) {
                throw ApiException.conflict("another change to this reservation is in progress; retry");
            }
            throw e;
        }
    }

    /** PostgreSQL's {@code lock_not_available} (55P03), which Spring leaves uncategorized. */
    private static boolean lockNotAvailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && "55P03".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static io.ringfence.contract.model.ReservationUnitReleaseBlockersResponse blockers(
            Map<String, List<UnitConsumers.Consumer>> blockers) {
        var response = new io.ringfence.contract.model.ReservationUnitReleaseBlockersResponse();
        new java.util.TreeMap<>(blockers).forEach((unitId, consumers) -> response.addBlockersItem(
                new io.ringfence.contract.model.ReservationUnitReleaseBlockerV2().unitId(unitId).consumers(
                        consumers.stream().map(c -> new io.ringfence.contract.model.ReservationUnitConsumerV2()
                                .type(io.ringfence.contract.model.ReservationUnitConsumerTypeV2.PLACEMENT)
                                .placementId(c.placementId()).serverIds(c.serverIds())).toList())));
        return response;
    }

    private static String unquote(String tag) {
        return tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"") ? tag.substring(1, tag.length() - 1) : tag;
    }

    /** The reservation after a release, and the units it gave up. */
    public record ReleasedUnits(ReservationRecord reservation, List<ClaimedUnit> units) {
    }

    private static void requireId(String value, String field) {
        if (value == null || value.isBlank() || value.length() > MAX_ID_LENGTH) {
            throw ApiException.badRequest("request body invalid: " + field + " must be 1 to " + MAX_ID_LENGTH
                    + " characters");
        }
    }

    private static <T> List<T> nonNull(List<T> values) {
        return values == null ? List.of() : values;
    }
}
