package io.ringfence.placement;

import io.ringfence.audit.AuditTrail;
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
import io.ringfence.error.ApiError;
import io.ringfence.error.ApiException;
import io.ringfence.idempotency.IdempotencyStore;
import io.ringfence.identity.Acl.Endpoint;
import io.ringfence.identity.Acl.Operation;
import io.ringfence.identity.Caller;
import io.ringfence.planner.PlacementPlanner;
import io.ringfence.planner.PlacementRequest;
import io.ringfence.planner.Plan;
import io.ringfence.planner.RollingWaves;
import io.ringfence.provider.BareMetalProvider;
import io.ringfence.provider.Network;
import io.ringfence.reservation.ReservationRecord;
import io.ringfence.reservation.ReservationStore;
import io.ringfence.reservation.ReservationService;
import io.ringfence.resource.ProvisioningStatus;
import io.ringfence.resource.ResourceIds;
import io.ringfence.resource.ResourceMetadata;
import io.ringfence.resource.ResourceTag;
import io.ringfence.work.WorkKind;
import io.ringfence.work.WorkQueue;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
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
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PlacementStore placements;
    private final ReservationStore reservations;
    private final ReservationService reservationService;
    private final BareMetalProvider provider;
    private final WorkQueue work;
    private final IdempotencyStore idempotency;
    private final TransactionTemplate transactions;
    private final AuditTrail audit;
    private final JsonMapper json;

    public PlacementService(PlacementStore placements, ReservationStore reservations,
                            ReservationService reservationService, BareMetalProvider provider, WorkQueue work,
                            IdempotencyStore idempotency, TransactionTemplate transactions, AuditTrail audit,
                            JsonMapper json) {
        this.placements = placements;
        this.reservations = reservations;
        this.reservationService = reservationService;
        this.provider = provider;
        this.work = work;
        this.idempotency = idempotency;
        this.transactions = transactions;
        this.audit = audit;
        this.json = json;
    }

    /** A placement with its servers: what a read of it shows. */
    public record PlacementView(PlacementRecord placement, List<ServerRecord> servers) {
    }

    public PlacementView create(Caller caller, PlacementV2Create request, String idempotencyKey) {
        PlacementV2CreateSpec spec = request.getSpec();
        String name = request.getMetadata().getName();
        PlacementRequest planRequest = planRequest(spec.getCount(), spec.getConstraints(),
                spec.getReadinessPolicy() == null ? null : spec.getReadinessPolicy().getMode());
        int lastOrdinal = spec.getCount() - 1;
        if (name.length() + 1 + String.valueOf(lastOrdinal).length() > ResourceIds.MAX_LENGTH) {
            throw ApiException.badRequest("request body invalid: metadata.name is too long for server names "
                    + "'<name>-<ordinal>' to stay within 63 characters");
        }
        validateServerSpec(spec.getServerSpec());
        PlacementRecord.UpdateStrategy update = updateStrategy(spec.getUpdateStrategy(), null, spec.getCount());
        ResourceMetadata.requireDescription(request.getMetadata().getDescription());
        List<ResourceTag> tags = ResourceTag.fromRequest(request.getMetadata().getTags());
        String requestHash = idempotencyKey == null ? null : idempotency.requestHash(request);

        return transactions.execute(status -> {
            ReservationRecord visible = reservationService.get(caller,
                    ResourceIds.require(spec.getReservationId(), "spec.reservationId"));
            audit.about("placement", null, visible.organizationId(), visible.projectId());
            caller.permitted(visible, Endpoint.PLACEMENTS, Operation.CREATE);
            String id = ResourceIds.newId();
            Optional<String> earlier = idempotency.replay(caller.subject(), CREATE_OPERATION, idempotencyKey,
                    requestHash, id);
            if (earlier.isPresent()) {
                return view(earlier.get());
            }
            // placements of one reservation are planned one at a time, under the reservation's row lock
            if (reservations.lockForClaimChange(visible.id()).isEmpty()) {
                throw ApiException.conflict("the reservation is being deleted");
            }
            ReservationRecord reservation = reservations.find(visible.id()).orElseThrow(ApiException::notFound);
            ReservationService.requireStarted(reservation);
            ProvisioningStatus reservationStatus = reservation.status().provisioningStatus();
            if (reservationStatus != ProvisioningStatus.PROVISIONED) {
                throw ApiException.conflict("the reservation is " + reservationStatus.value()
                        + "; placements need a provisioned reservation");
            }
            String regionId = reservation.spec().regionId();
            Optional<Network> network = provider.network(regionId,
                    ResourceIds.require(spec.getNetworkId(), "spec.networkId"));
            if (network.isEmpty() || !usableBy(caller, network.get(), reservation)) {
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
            PlacementRecord record = new PlacementRecord(
                    ResourceMetadata.created(id, name, request.getMetadata().getDescription(), tags,
                            reservation.organizationId(), reservation.projectId(), caller.subject(),
                            Instant.now().truncatedTo(ChronoUnit.MICROS)),
                    new PlacementRecord.Spec(reservation.id(), regionId, spec.getNetworkId(), spec.getCount(),
                            constraints(spec.getConstraints(), spec.getReadinessPolicy() == null ? null
                                    : spec.getReadinessPolicy().getMode()),
                            serverSpec(spec.getServerSpec()), update),
                    ProvisioningStatus.PENDING, null);
            List<String> serverIds = new ArrayList<>();
            for (int i = 0; i < placed.hosts().size(); i++) {
                serverIds.add(newServerId());
            }
            audit.about("placement", id, record.organizationId(), record.projectId());
            placements.insert(record, placed.hosts(), serverIds);
            work.enqueue(WorkKind.PLACEMENT, id);
            audit.changed(202);
            return view(id);
        });
    }

    public PlacementView get(Caller caller, String id) {
        return view(read(caller, id).id());
    }

    /**
     * Whether servers of this reservation may attach to the network: a shared one, or one of the reservation's own
     * (organization, project) pair. Both halves are compared: the network's organization is the platform's word
     * where it has one, else the organization the identity sources place the network's project in.
     */
    private static boolean usableBy(Caller caller, Network network, ReservationRecord reservation) {
        if (network.projectId() == null) {
            return true;
        }
        boolean sameOrganization = network.organizationId() != null
                ? network.organizationId().equals(reservation.organizationId())
                : caller.projectIn(reservation.organizationId(), network.projectId());
        return sameOrganization && network.projectId().equals(reservation.projectId());
    }

    private PlacementRecord read(Caller caller, String id) {
        return caller.readable(placements.find(id), Endpoint.PLACEMENTS);
    }

    private PlacementRecord readForChange(Caller caller, String id, Endpoint endpoint, Operation operation) {
        PlacementRecord placement = read(caller, id);
        audit.about("placement", id, placement.organizationId(), placement.projectId());
        return caller.permitted(placement, endpoint, operation);
    }

    public List<PlacementView> list(Caller caller, List<String> organizationIds, List<String> projectIds,
                                    List<String> regionIds, List<String> reservationIds, List<String> networkIds,
                                    List<String> tagSelectors) {
        List<ResourceTag> tags = ResourceTag.fromSelectors(tagSelectors);
        Set<String> organizations = caller.readableOrganizations(Endpoint.PLACEMENTS,
                organizationIds == null || organizationIds.isEmpty() ? null : new HashSet<>(organizationIds));
        if (organizations != null && organizations.isEmpty()) {
            return List.of();
        }
        List<PlacementRecord> found = placements.list(new PlacementFilter(organizations,
                        ResourceIds.orEmpty(projectIds), ResourceIds.orEmpty(regionIds),
                        ResourceIds.orEmpty(reservationIds), ResourceIds.orEmpty(networkIds), tags)).stream()
                .filter(p -> caller.allows(Endpoint.PLACEMENTS, Operation.READ, p.organizationId(), p.projectId()))
                .toList();
        Map<String, List<ServerRecord>> servers = placements.serversOf(found.stream().map(PlacementRecord::id).toList());
        return found.stream().map(p -> new PlacementView(p, servers.get(p.id()))).toList();
    }

    /** Only the image and the update strategy may change; anything else in the spec is 400. */
    public PlacementView update(Caller caller, String id, PlacementV2Spec spec) {
        return transactions.execute(status -> {
            PlacementRecord current = readForChange(caller, id, Endpoint.PLACEMENTS, Operation.UPDATE);
            if (current.deleting()) {
                throw ApiException.conflict("the placement is being deleted");
            }
            PlacementServerSpecV2 server = spec.getServerSpec();
            PlacementRecord.Constraints constraints = constraints(spec.getConstraints(),
                    spec.getReadinessPolicy() == null ? null : spec.getReadinessPolicy().getMode());
            PlacementRecord.Constraints was = current.spec().constraints();
            PlacementRecord.ServerSpec asked = serverSpec(server);
            PlacementRecord.ServerSpec has = current.spec().server();
            List<String> changed = new ArrayList<>();
            if (spec.getCount() != current.spec().hostCount()) {
                changed.add("count");
            }
            if (!constraints.policy().equals(was.policy()) || !Objects.equals(constraints.maxSkew(), was.maxSkew())
                    || !Objects.equals(constraints.minDomains(), was.minDomains())
                    || !Objects.equals(constraints.whenUnsatisfiable(), was.whenUnsatisfiable())) {
                changed.add("constraints");
            }
            // an absent readiness policy means Prefer, so a client may send back what it read
            if (!readiness(constraints).equals(readiness(was))) {
                changed.add("readinessPolicy");
            }
            if (!Objects.equals(asked.sshCaId(), has.sshCaId())) {
                changed.add("serverSpec.sshCertificateAuthorityId");
            }
            if (!Objects.equals(asked.networking() == null ? null : json.readTree(asked.networking()),
                    has.networking() == null ? null : json.readTree(has.networking()))) {
                changed.add("serverSpec.networking");
            }
            if (!Objects.equals(asked.userData(), has.userData())) {
                changed.add("serverSpec.userData");
            }
            if (!changed.isEmpty()) {
                throw ApiException.badRequest("request body invalid: only serverSpec.imageId and updateStrategy may "
                        + "change; also changed: " + String.join(", ", changed));
            }
            validateServerSpec(server);
            PlacementRecord.UpdateStrategy update = updateStrategy(spec.getUpdateStrategy(), current.spec().update(),
                    current.spec().hostCount());
            placements.updateImage(id, server.getImageId(), update, caller.subject());
            work.enqueue(WorkKind.PLACEMENT, id);
            audit.changed(200);
            return view(id);
        });
    }

    public void delete(Caller caller, String id) {
        transactions.executeWithoutResult(status -> {
            readForChange(caller, id, Endpoint.PLACEMENTS, Operation.DELETE);
            placements.markPlacementDeleting(id);
            work.enqueue(WorkKind.PLACEMENT, id);
            audit.changed(202);
        });
    }

    /** The placement whose servers the caller may read, with them all; or 404. */
    public PlacementView servers(Caller caller, String placementId) {
        PlacementRecord placement = readServers(caller, placementId);
        return new PlacementView(placement, placements.servers(placementId));
    }

    public PlacementView server(Caller caller, String placementId, String serverId) {
        PlacementRecord placement = readServers(caller, placementId);
        return new PlacementView(placement,
                List.of(placements.server(placementId, serverId).orElseThrow(ApiException::notFound)));
    }

    private PlacementRecord readServers(Caller caller, String placementId) {
        PlacementRecord placement = read(caller, placementId);
        if (!caller.allows(Endpoint.SERVERS, Operation.READ, placement.organizationId(), placement.projectId())) {
            throw ApiException.notFound();
        }
        return placement;
    }

    /** Reboot (soft or hard), stop or reconcile: 202, or 409 while another operation is in flight. */
    public void operate(Caller caller, String placementId, String serverId, ServerOperation operation) {
        transactions.executeWithoutResult(status -> {
            PlacementRecord placement = readServers(caller, placementId);
            audit.about("server", serverId, placement.organizationId(), placement.projectId());
            caller.permitted(placement, Endpoint.SERVERS, Operation.UPDATE);
            ServerRecord server = placements.server(placementId, serverId).orElseThrow(ApiException::notFound);
            if (placement.deleting()) {
                throw ApiException.conflict("the placement is being deleted");
            }
            if (server.busy()) {
                throw ApiException.conflict("an operation (" + server.operations().pending().value()
                        + ") on this server is still in flight");
            }
            if (!server.observed().createdAtProvider()) {
                throw ApiException.conflict("the server is still being created");
            }
            if (operation == ServerOperation.RECONCILE && placement.imageId().equals(server.observed().imageId())) {
                return; // already current: nothing to do
            }
            if (!placements.requestOperation(serverId, operation)) {
                throw ApiException.conflict("an operation on this server is still in flight");
            }
            work.enqueue(WorkKind.PLACEMENT, placementId);
            audit.changed(202);
        });
    }

    /** Which placement uses each host of the given reservations (for the topology view). */
    public Map<String, String> placementOfHosts(Set<String> reservationIds) {
        return placements.placementOfHosts(reservationIds);
    }

    /** The given placements with their servers, by ID; the caller has already been allowed to see them. */
    public Map<String, PlacementView> views(Set<String> placementIds) {
        Map<String, PlacementView> views = new TreeMap<>();
        Map<String, List<ServerRecord>> servers = placements.serversOf(List.copyOf(placementIds));
        for (String id : placementIds) {
            placements.find(id).ifPresent(p -> views.put(id, new PlacementView(p, servers.get(id))));
        }
        return views;
    }

    private PlacementView view(String id) {
        return new PlacementView(placements.find(id).orElseThrow(ApiException::notFound), placements.servers(id));
    }

    /** The planner's request; a rule the planner's request refuses is the client's mistake (400). */
    private static PlacementRequest planRequest(int count, PlacementConstraintsV2 constraints,
                                                PlacementReadinessModeV2 readiness) {
        PlacementRequest.Readiness mode = readiness == null ? PlacementRequest.Readiness.PREFER
                : PlacementRequest.Readiness.valueOf(readiness.getValue().toUpperCase(Locale.ROOT));
        try {
            return new PlacementRequest(count, constraints.getPolicy() == PlacementPolicyV2.PACK
                    ? PlacementRequest.Policy.PACK : PlacementRequest.Policy.SPREAD,
                    constraints.getMaxSkew(), constraints.getMinDomains(),
                    constraints.getWhenUnsatisfiable() != WhenUnsatisfiableV2.BEST_EFFORT, mode);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("request body invalid: " + e.getMessage());
        }
    }

    private static PlacementRecord.Constraints constraints(PlacementConstraintsV2 c, PlacementReadinessModeV2 mode) {
        return new PlacementRecord.Constraints(c.getPolicy().getValue(), c.getMaxSkew(), c.getMinDomains(),
                c.getWhenUnsatisfiable() == null ? null : c.getWhenUnsatisfiable().getValue(),
                mode == null ? null : mode.getValue());
    }

    private static String readiness(PlacementRecord.Constraints constraints) {
        return constraints.readinessMode() == null ? PlacementReadinessModeV2.PREFER.getValue()
                : constraints.readinessMode();
    }

    private PlacementRecord.ServerSpec serverSpec(PlacementServerSpecV2 server) {
        return new PlacementRecord.ServerSpec(server.getImageId(), server.getSshCertificateAuthorityId(),
                server.getNetworking() == null ? null : json.writeValueAsString(server.getNetworking()),
                server.getUserData() == null ? null : Base64.getEncoder().encodeToString(server.getUserData()));
    }

    private static void validateServerSpec(PlacementServerSpecV2 server) {
        if (server.getImageId() == null || server.getImageId().isBlank() || server.getImageId().length() > 255
                || server.getImageId().chars().anyMatch(Character::isWhitespace)) {
            throw ApiException.badRequest("request body invalid: serverSpec.imageId must be 1 to 255 characters "
                    + "without spaces");
        }
    }

    private static PlacementRecord.UpdateStrategy updateStrategy(PlacementUpdateStrategyV2 strategy,
                                                                 PlacementRecord.UpdateStrategy current, int hosts) {
        if (strategy == null) {
            return current == null ? new PlacementRecord.UpdateStrategy(PlacementRecord.UpdateType.MANUAL, null)
                    : current;
        }
        boolean rolling = strategy.getType() == PlacementUpdateStrategyTypeV2.ROLLING_UPDATE;
        PlacementRecord.UpdateType type = rolling ? PlacementRecord.UpdateType.ROLLING_UPDATE
                : PlacementRecord.UpdateType.MANUAL;
        if (strategy.getRollingUpdate() == null || strategy.getRollingUpdate().getMaxUnavailable() == null) {
            return new PlacementRecord.UpdateStrategy(type, rolling ? "1" : null);
        }
        String value = strategy.getRollingUpdate().getMaxUnavailable();
        if (!RollingWaves.valid(value)) {
            throw ApiException.badRequest("request body invalid: updateStrategy.rollingUpdate.maxUnavailable must be "
                    + "a count or a percentage that resolves to at least 1");
        }
        return new PlacementRecord.UpdateStrategy(type, value);
    }

    private static String newServerId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return "psrv-" + HexFormat.of().formatHex(bytes);
    }
}
