package io.ringfence.placement;

import io.ringfence.contract.model.PlacementConstraintsV2;
import io.ringfence.contract.model.PlacementPolicyV2;
import io.ringfence.contract.model.PlacementReadinessModeV2;
import io.ringfence.contract.model.PlacementServerSpecV2;
import io.ringfence.contract.model.PlacementUpdateStrategyTypeV2;
import io.ringfence.contract.model.PlacementUpdateStrategyV2;
import io.ringfence.contract.model.PlacementV2Create;
import io.ringfence.contract.model.PlacementV2CreateSpec;
import io.ringfence.contract.model.PlacementV2Spec;
import io.ringfence.contract.model.WhenUnsatisfiableV2;
import io.ringfence.audit.AuditDetails;
import io.ringfence.idempotency.IdempotencyStore;
import io.ringfence.identity.Acl.Endpoint;
import io.ringfence.identity.Acl.Operation;
import io.ringfence.identity.Caller;
import io.ringfence.work.WorkKind;
import io.ringfence.work.WorkQueue;
import io.ringfence.planner.Plan;
import io.ringfence.planner.PlacementPlanner;
import io.ringfence.planner.PlacementRequest;
import io.ringfence.provider.BareMetalProvider;
import io.ringfence.provider.Network;
import io.ringfence.resource.ResourceIds;
import io.ringfence.reservation.ReservationRecord;
import io.ringfence.reservation.ReservationRepository;
import io.ringfence.reservation.ReservationService;
import io.ringfence.resource.ResourceTag;
import io.ringfence.error.ApiError;
import io.ringfence.error.ApiException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Creates, reads, changes and deletes placements and asks for server operations. Hosts are chosen by the
 * planner under the reservation's row lock, so placements of one reservation never overbook it, and the
 * primary key on a placed host makes a double booking impossible whatever the code above does.
 */
@Service
public class PlacementService {

    private static final String CREATE_OPERATION = "createPlacement";
    private static final Pattern MAX_UNAVAILABLE = Pattern.compile("^([0-9]{1,9}|([0-9]|[1-9][0-9]|100)%)$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PlacementRepository placements;
    private final ReservationRepository reservations;
    private final ReservationService reservationService;
    private final BareMetalProvider provider;
    private final WorkQueue work;
    private final IdempotencyStore idempotency;
    private final TransactionTemplate transactions;
    private final JsonMapper json;

    public PlacementService(PlacementRepository placements, ReservationRepository reservations,
                            ReservationService reservationService, BareMetalProvider provider, WorkQueue work,
                            IdempotencyStore idempotency, TransactionTemplate transactions, JsonMapper json) {
        this.placements = placements;
        this.reservations = reservations;
        this.reservationService = reservationService;
        this.provider = provider;
        this.work = work;
        this.idempotency = idempotency;
        this.transactions = transactions;
        this.json = json;
    }

    public PlacementRecord create(Caller caller, PlacementV2Create request, String idempotencyKey) {
        PlacementV2CreateSpec spec = request.getSpec();
        String name = request.getMetadata().getName();
        PlacementRequest planRequest = planRequest(spec.getCount(), spec.getConstraints(),
                spec.getReadinessPolicy() == null ? null : spec.getReadinessPolicy().getMode());
        int lastOrdinal = spec.getCount() - 1;
        if (name.length() + 1 + String.valueOf(lastOrdinal).length() > 63) {
            throw ApiException.badRequest("request body invalid: metadata.name is too long for server names "
                    + "'<name>-<ordinal>' to stay within 63 characters");
        }
        validateServerSpec(spec.getServerSpec());
        String updateType = updateType(spec.getUpdateStrategy(), null);
        String maxUnavailable = maxUnavailable(spec.getUpdateStrategy(), null, spec.getCount());
        List<ResourceTag> tags = ResourceTag.fromRequest(request.getMetadata().getTags());
        String requestHash = idempotencyKey == null ? null : idempotency.requestHash(request);

        return transactions.execute(status -> {
            ReservationRecord visible = reservationService.get(caller, required(spec.getReservationId()));
            AuditDetails.resource("placement", null, visible.organizationId(), visible.projectId());
            if (!caller.allows(Endpoint.PLACEMENTS, Operation.CREATE, visible.organizationId(), visible.projectId())) {
                throw ApiException.forbidden();
            }
            String id = ResourceIds.newId();
            if (idempotencyKey != null) {
                Optional<IdempotencyStore.Earlier> earlier = idempotency.claim(caller.subject(), CREATE_OPERATION,
                        idempotencyKey, requestHash, id);
                if (earlier.isPresent()) {
                    if (!earlier.get().requestHash().equals(requestHash)) {
                        throw ApiException.badRequest("Idempotency-Key was already used with a different request body");
                    }
                    return placements.find(earlier.get().resourceId()).orElseThrow(ApiException::notFound);
                }
            }
            // placements of one reservation are planned one at a time, under the reservation's row lock
            if (reservations.lockForClaimChange(visible.id()).isEmpty()) {
                throw ApiException.conflict("the reservation is being deleted");
            }
            ReservationRecord reservation = reservations.find(visible.id()).orElseThrow(ApiException::notFound);
            if (!"provisioned".equals(reservation.provisioningStatus())) {
                throw ApiException.conflict("the reservation is " + reservation.provisioningStatus()
                        + "; placements need a provisioned reservation");
            }
            Optional<Network> network = provider.network(reservation.regionId(), required(spec.getNetworkId()));
            if (network.isEmpty() || (network.get().projectId() != null
                    && !network.get().projectId().equals(reservation.projectId()))) {
                throw ApiException.notFound();
            }
            Plan plan = PlacementPlanner.plan(placements.freeHosts(reservation.id()), planRequest);
            if (plan instanceof Plan.NotEnoughHosts notEnough) {
                throw ApiException.conflict("the reservation has " + notEnough.usable() + " free hosts that can be "
                        + "used, but " + notEnough.requested() + " were requested");
            }
            if (plan instanceof Plan.Unsatisfiable unsatisfiable) {
                throw new ApiException(ApiError.UNPROCESSABLE_CONTENT,
                        "the placement constraints cannot be met: " + unsatisfiable.reason());
            }
            Plan.Placed placed = (Plan.Placed) plan;
            PlacementServerSpecV2 server = spec.getServerSpec();
            PlacementConstraintsV2 constraints = spec.getConstraints();
            PlacementRecord record = new PlacementRecord(id, name, request.getMetadata().getDescription(), tags,
                    reservation.organizationId(), reservation.projectId(), reservation.id(), reservation.regionId(),
                    spec.getNetworkId(), spec.getCount(), constraints.getPolicy().getValue(), constraints.getMaxSkew(),
                    constraints.getMinDomains(),
                    constraints.getWhenUnsatisfiable() == null ? null : constraints.getWhenUnsatisfiable().getValue(),
                    spec.getReadinessPolicy() == null ? null : spec.getReadinessPolicy().getMode().getValue(),
                    server.getImageId(), server.getSshCertificateAuthorityId(),
                    server.getNetworking() == null ? null : json.writeValueAsString(server.getNetworking()),
                    server.getUserData() == null ? null : java.util.Base64.getEncoder().encodeToString(server.getUserData()),
                    updateType, maxUnavailable, caller.subject(), Instant.now(), null, null, "pending", null, null);
            List<String> serverIds = new ArrayList<>();
            for (int i = 0; i < placed.hosts().size(); i++) {
                serverIds.add(newServerId());
            }
            AuditDetails.resource("placement", id, record.organizationId(), record.projectId());
            placements.insert(record, placed.hosts(), serverIds);
            work.enqueue(WorkKind.PLACEMENT, id);
            return placements.find(id).orElseThrow(ApiException::notFound);
        });
    }

    public PlacementRecord get(Caller caller, String id) {
        return placements.find(id)
                .filter(p -> caller.allows(Endpoint.PLACEMENTS, Operation.READ, p.organizationId(), p.projectId()))
                .orElseThrow(ApiException::notFound);
    }

    public PlacementRecord getForChange(Caller caller, String id, Endpoint endpoint, Operation operation) {
        PlacementRecord placement = get(caller, id);
        AuditDetails.resource("placement", id, placement.organizationId(), placement.projectId());
        if (!caller.allows(endpoint, operation, placement.organizationId(), placement.projectId())) {
            throw ApiException.forbidden();
        }
        return placement;
    }

    public List<PlacementRecord> list(Caller caller, PlacementFilter requested) {
        Set<String> organizations = caller.readableOrganizations(Endpoint.PLACEMENTS, requested.organizationIds());
        if (organizations != null && organizations.isEmpty()) {
            return List.of();
        }
        return placements.list(new PlacementFilter(organizations, requested.projectIds(), requested.regionIds(),
                        requested.reservationIds(), requested.networkIds(), requested.tags())).stream()
                .filter(p -> caller.allows(Endpoint.PLACEMENTS, Operation.READ, p.organizationId(), p.projectId()))
                .toList();
    }

    /** Only the image and the update strategy may change; anything else in the spec is 400. */
    public PlacementRecord update(Caller caller, String id, PlacementV2Spec spec) {
        return transactions.execute(status -> {
            PlacementRecord current = getForChange(caller, id, Endpoint.PLACEMENTS, Operation.UPDATE);
            if (current.deletionTime() != null) {
                throw ApiException.conflict("the placement is being deleted");
            }
            PlacementConstraintsV2 constraints = spec.getConstraints();
            PlacementServerSpecV2 server = spec.getServerSpec();
            List<String> changed = new ArrayList<>();
            if (spec.getCount() != current.hostCount()) {
                changed.add("count");
            }
            if (!constraints.getPolicy().getValue().equals(current.policy())
                    || !Objects.equals(constraints.getMaxSkew(), current.maxSkew())
                    || !Objects.equals(constraints.getMinDomains(), current.minDomains())
                    || !Objects.equals(constraints.getWhenUnsatisfiable() == null ? null
                            : constraints.getWhenUnsatisfiable().getValue(), current.whenUnsatisfiable())) {
                changed.add("constraints");
            }
            // an absent readiness policy means Prefer, so a client may send back what it read
            String readiness = spec.getReadinessPolicy() == null ? "Prefer" : spec.getReadinessPolicy().getMode().getValue();
            if (!readiness.equals(current.readinessMode() == null ? "Prefer" : current.readinessMode())) {
                changed.add("readinessPolicy");
            }
            if (!Objects.equals(server.getSshCertificateAuthorityId(), current.sshCaId())) {
                changed.add("serverSpec.sshCertificateAuthorityId");
            }
            String networking = server.getNetworking() == null ? null : json.writeValueAsString(server.getNetworking());
            if (!Objects.equals(networking == null ? null : json.readTree(networking),
                    current.networking() == null ? null : json.readTree(current.networking()))) {
                changed.add("serverSpec.networking");
            }
            String userData = server.getUserData() == null ? null
                    : java.util.Base64.getEncoder().encodeToString(server.getUserData());
            if (!Objects.equals(userData, current.userData())) {
                changed.add("serverSpec.userData");
            }
            if (!changed.isEmpty()) {
                throw ApiException.badRequest("request body invalid: only serverSpec.imageId and updateStrategy may "
                        + "change; also changed: " + String.join(", ", changed));
            }
            validateServerSpec(server);
            String updateType = updateType(spec.getUpdateStrategy(), current.updateType());
            String maxUnavailable = maxUnavailable(spec.getUpdateStrategy(), current.maxUnavailable(),
                    current.hostCount());
            placements.updateImage(id, server.getImageId(), updateType, maxUnavailable, caller.subject());
            work.enqueue(WorkKind.PLACEMENT, id);
            return placements.find(id).orElseThrow(ApiException::notFound);
        });
    }

    public void delete(Caller caller, String id) {
        transactions.executeWithoutResult(status -> {
            getForChange(caller, id, Endpoint.PLACEMENTS, Operation.DELETE);
            placements.markDeleting(id);
            work.enqueue(WorkKind.PLACEMENT, id);
        });
    }

    public List<ServerRecord> servers(Caller caller, String placementId) {
        readServers(caller, placementId);
        return placements.servers(placementId);
    }

    /** The placement whose servers the caller may read, or 404. */
    public PlacementRecord readServers(Caller caller, String placementId) {
        PlacementRecord placement = get(caller, placementId);
        if (!caller.allows(Endpoint.SERVERS, Operation.READ, placement.organizationId(), placement.projectId())) {
            throw ApiException.notFound();
        }
        return placement;
    }

    public ServerRecord server(Caller caller, String placementId, String serverId) {
        readServers(caller, placementId);
        return placements.server(placementId, serverId).orElseThrow(ApiException::notFound);
    }

    /** Reboot (soft or hard), stop or reconcile: 202, or 409 while another operation is in flight. */
    public void operate(Caller caller, String placementId, String serverId, String operation) {
        transactions.executeWithoutResult(status -> {
            PlacementRecord placement = readServers(caller, placementId);
            AuditDetails.resource("server", serverId, placement.organizationId(), placement.projectId());
            if (!caller.allows(Endpoint.SERVERS, Operation.UPDATE, placement.organizationId(), placement.projectId())) {
                throw ApiException.forbidden();
            }
            ServerRecord server = placements.server(placementId, serverId).orElseThrow(ApiException::notFound);
            if (placement.deletionTime() != null) {
                throw ApiException.conflict("the placement is being deleted");
            }
            if (server.busy()) {
                throw ApiException.conflict("an operation (" + server.pendingOperation() + ") on this server is still "
                        + "in flight");
            }
            if (!server.createdAtProvider()) {
                throw ApiException.conflict("the server is still being created");
            }
            if (operation.equals("reconcile") && placement.imageId().equals(server.imageId())) {
                return; // already current: nothing to do
            }
            String desired = operation.equals("stop") ? "Drained" : "Running";
            if (!placements.requestOperation(serverId, operation, desired)) {
                throw ApiException.conflict("an operation on this server is still in flight");
            }
            work.enqueue(WorkKind.PLACEMENT, placementId);
        });
    }

    private static PlacementRequest planRequest(int count, PlacementConstraintsV2 constraints,
                                                PlacementReadinessModeV2 readiness) {
        boolean pack = constraints.getPolicy() == PlacementPolicyV2.PACK;
        if (pack && (constraints.getMaxSkew() != null || constraints.getMinDomains() != null)) {
            throw ApiException.badRequest("request body invalid: maxSkew and minDomains apply to the spread policy only");
        }
        if (constraints.getMinDomains() != null && constraints.getMinDomains() > count) {
            throw ApiException.badRequest("request body invalid: minDomains must not exceed count");
        }
        PlacementRequest.Readiness mode = readiness == null ? PlacementRequest.Readiness.PREFER
                : PlacementRequest.Readiness.valueOf(readiness.getValue().toUpperCase(java.util.Locale.ROOT));
        return new PlacementRequest(count, pack ? PlacementRequest.Policy.PACK : PlacementRequest.Policy.SPREAD,
                constraints.getMaxSkew(), constraints.getMinDomains(),
                constraints.getWhenUnsatisfiable() != WhenUnsatisfiableV2.BEST_EFFORT, mode);
    }

    private static void validateServerSpec(PlacementServerSpecV2 server) {
        if (server.getImageId() == null || server.getImageId().isBlank() || server.getImageId().length() > 255
                || server.getImageId().chars().anyMatch(Character::isWhitespace)) {
            throw ApiException.badRequest("request body invalid: serverSpec.imageId must be 1 to 255 characters "
                    + "without spaces");
        }
    }

    private static String updateType(PlacementUpdateStrategyV2 strategy, String current) {
        if (strategy == null) {
            return current == null ? "Manual" : current;
        }
        return strategy.getType() == PlacementUpdateStrategyTypeV2.ROLLING_UPDATE ? "RollingUpdate" : "Manual";
    }

    private static String maxUnavailable(PlacementUpdateStrategyV2 strategy, String current, int hosts) {
        if (strategy == null) {
            return current;
        }
        if (strategy.getRollingUpdate() == null || strategy.getRollingUpdate().getMaxUnavailable() == null) {
            return strategy.getType() == PlacementUpdateStrategyTypeV2.ROLLING_UPDATE ? "1" : null;
        }
        String value = strategy.getRollingUpdate().getMaxUnavailable();
        if (!MAX_UNAVAILABLE.matcher(value).matches() || PlacementRecord.resolveMaxUnavailable(value, hosts) < 1
                || value.equals("0") || value.equals("0%")) {
            throw ApiException.badRequest("request body invalid: updateStrategy.rollingUpdate.maxUnavailable must be "
                    + "a count or a percentage that resolves to at least 1");
        }
        return value;
    }

    private static String required(String id) {
        if (id == null || id.isBlank() || id.length() > 63) {
            throw ApiException.badRequest("request body invalid: IDs must be 1 to 63 characters");
        }
        return id;
    }

    private static String newServerId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return "psrv-" + HexFormat.of().formatHex(bytes);
    }
}
