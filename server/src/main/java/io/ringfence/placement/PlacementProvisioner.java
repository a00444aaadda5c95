package io.ringfence.placement;

import io.ringfence.operations.PlatformOperations;
import io.ringfence.operations.TrackedOperation;
import io.ringfence.planner.RollingWaves;
import io.ringfence.provider.BareMetalProvider;
import io.ringfence.provider.OperationKey;
import io.ringfence.provider.PlatformOperation;
import io.ringfence.provider.PowerOperation;
import io.ringfence.provider.PowerState;
import io.ringfence.provider.ServerRequest;
import io.ringfence.provider.ServerState;
import io.ringfence.resource.ProvisioningStatus;
import io.ringfence.work.Outcome;
import io.ringfence.work.Provisioner;
import io.ringfence.work.WorkKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Converges a placement: creates one server per placed host at the platform, carries out power and image
 * operations, rolls a new image out in waves under {@code RollingUpdate}, and tears everything down on
 * deletion (servers first, then the hosts are free). It never waits on the platform: each pass records the work
 * it wants, starts what the platform's bound allows, records what was started and what the platform reports,
 * and yields until the platform expects the next change. Each pass re-reads the state and repeats nothing that
 * the database says is done.
 */
@Component
public class PlacementProvisioner implements Provisioner {

    private static final Duration MIN_POLL = Duration.ofMillis(50);
    private static final Duration MAX_POLL = Duration.ofSeconds(1);

    private final PlacementStore placements;
    private final PlatformOperations operations;
    private final BareMetalProvider provider;
    private final TransactionTemplate transactions;
    private final JsonMapper json;

    public PlacementProvisioner(PlacementStore placements, PlatformOperations operations, BareMetalProvider provider,
                                TransactionTemplate transactions, JsonMapper json) {
        this.placements = placements;
        this.operations = operations;
        this.provider = provider;
        this.transactions = transactions;
        this.json = json;
    }

    @Override
    public WorkKind kind() {
        return WorkKind.PLACEMENT;
    }

    @Override
    public Outcome reconcile(String placementId) {
        Optional<PlacementRecord> found = placements.find(placementId);
        if (found.isEmpty()) {
            return Outcome.done();
        }
        PlacementRecord placement = found.get();
        String region = placement.spec().regionId();
        List<ServerRecord> servers = placements.servers(placementId);
        if (placement.deleting()) {
            return tearDown(placement, servers);
        }
        if (placement.provisioningStatus() == ProvisioningStatus.PENDING) {
            placements.transition(placementId, ProvisioningStatus.PROVISIONING, null);
        }
        startRollingWave(placement, servers);
        servers = placements.servers(placementId);
        List<PlatformOperation> wanted = new ArrayList<>();
        PlacementRecord.ServerSpec spec = placement.spec().server();
        boolean publicIp = publicIp(spec);
        for (ServerRecord server : servers) {
            if (!server.observed().createdAtProvider()) {
                wanted.add(new PlatformOperation.CreateServer(new ServerRequest(server.id(), server.name(),
                        server.host().infrastructureRef(), spec.imageId(), placement.spec().networkId(), publicIp,
                        spec.sshCaId(), spec.userData()), placementId));
            } else if (server.busy() && !server.operations().issued()) {
                wanted.add(operation(placement, server));
            }
        }
        Map<OperationKey, TrackedOperation> work = operations.pursue(region, placementId, wanted);
        transactions.executeWithoutResult(status -> {
            for (PlatformOperation op : wanted) {
                TrackedOperation tracked = work.get(op.key());
                if (tracked == null || tracked.stage() == TrackedOperation.Stage.WANTED) {
                    continue; // waiting for a slot at the platform
                }
                if (op instanceof PlatformOperation.CreateServer create) {
                    placements.markCreatedAtProvider(create.request().serverId());
                } else if (tracked.failed()) {
                    placements.completeOperation(op.key().target(), false); // the platform refused: it is over
                    operations.forget(op.key());
                } else {
                    placements.markOperationIssued(op.key().target());
                }
            }
        });

        int running = 0;
        boolean settled = true;
        List<ServerRecord> current = placements.servers(placementId);
        for (ServerRecord server : current) {
            Optional<ServerState> state = provider.server(server.id());
            if (state.isEmpty()) {
                settled = false;
                continue;
            }
            ServerState observed = state.get();
            placements.observe(server.id(), observed);
            ServerOperation pending = server.operations().pending();
            if (pending != null && observed.powerState() == PowerState.ERROR) {
                completeOperation(placement, server, false); // a failed host ends any operation on it
            } else if (pending != null && server.operations().issued()
                    && pending.reached(observed.powerState(), observed.imageId(), placement.imageId())
                    && finished(work, operation(placement, server).key())) {
                completeOperation(placement, server, pending == ServerOperation.RECONCILE);
            } else if (pending != null) {
                settled = false;
            }
            if (observed.powerState() == PowerState.RUNNING) {
                running++;
            } else if (!observed.powerState().settled()) {
                settled = false;
            }
        }
        boolean allUp = running == current.size();
        boolean provisioned = placement.provisioningStatus() == ProvisioningStatus.PROVISIONED;
        if (allUp && !provisioned) {
            placements.transition(placementId, ProvisioningStatus.PROVISIONED, null);
        }
        boolean rolling = placement.rollingUpdate() && RollingWaves.inProgress(waveServers(placement,
                placements.servers(placementId)));
        if (!settled || rolling || (!allUp && !provisioned && current.stream().noneMatch(ServerRecord::failed))) {
            return new Outcome.Yield(PlatformOperations.lookAgain(work.values(), MIN_POLL, MAX_POLL),
                    running + "/" + current.size() + " servers running");
        }
        return Outcome.done();
    }

    /** Deletes every server at the platform; once all are gone, the placement goes and its hosts are free. */
    private Outcome tearDown(PlacementRecord placement, List<ServerRecord> servers) {
        String placementId = placement.id();
        String region = placement.spec().regionId();
        Map<OperationKey, TrackedOperation> work = operations.pursue(region, placementId, servers.stream()
                .map(s -> new PlatformOperation.DeleteServer(s.id(), placementId)).toList());
        List<TrackedOperation> deletions = servers.stream()
                .map(s -> work.get(new PlatformOperation.DeleteServer(s.id(), placementId).key())).toList();
        long deleted = deletions.stream().filter(t -> t != null && t.succeeded()).count();
        if (deleted < servers.size()) {
            return new Outcome.Yield(PlatformOperations.lookAgain(deletions, MIN_POLL, MAX_POLL),
                    "deleting servers: " + deleted + "/" + servers.size() + " gone");
        }
        transactions.executeWithoutResult(status -> {
            placements.delete(placementId);
            operations.forget(placementId);
        });
        return Outcome.done();
    }

    @Override
    public void failed(String placementId, String reason) {
        placements.transition(placementId, ProvisioningStatus.ERROR, "the platform could not create the servers");
    }

    @Override
    public void waiting(String placementId, String reason) {
        Optional<PlacementRecord> placement = placements.find(placementId);
        if (placement.isPresent() && placement.get().provisioningStatus() != ProvisioningStatus.PROVISIONED) {
            placements.transition(placementId, placement.get().provisioningStatus(), reason);
        }
    }

    private void completeOperation(PlacementRecord placement, ServerRecord server, boolean newRevision) {
        transactions.executeWithoutResult(status -> {
            placements.completeOperation(server.id(), newRevision);
            operations.forget(operation(placement, server).key());
        });
    }

    private static boolean finished(Map<OperationKey, TrackedOperation> work, OperationKey key) {
        TrackedOperation tracked = work.get(key);
        return tracked == null || tracked.succeeded() || tracked.failed();
    }

    /** The platform work a customer's server operation asks for, named by the operation's generation. */
    private static PlatformOperation operation(PlacementRecord placement, ServerRecord server) {
        long generation = server.operations().operationGeneration();
        return switch (server.operations().pending()) {
            case REBOOT -> new PlatformOperation.PowerServer(server.id(), placement.id(), PowerOperation.SOFT_REBOOT,
                    generation);
            case HARD_REBOOT -> new PlatformOperation.PowerServer(server.id(), placement.id(),
                    PowerOperation.HARD_REBOOT, generation);
            case STOP -> new PlatformOperation.PowerServer(server.id(), placement.id(), PowerOperation.STOP, generation);
            case RECONCILE -> new PlatformOperation.ReimageServer(server.id(), placement.id(), placement.imageId(),
                    generation);
        };
    }

    /** Under RollingUpdate, starts rebuilding drifted servers while fewer than maxUnavailable are in flight. */
    private void startRollingWave(PlacementRecord placement, List<ServerRecord> servers) {
        if (!placement.rollingUpdate()) {
            return;
        }
        for (String serverId : RollingWaves.nextWave(waveServers(placement, servers),
                placement.resolvedMaxUnavailable())) {
            placements.requestOperation(serverId, ServerOperation.RECONCILE);
        }
    }

    private static List<RollingWaves.Server> waveServers(PlacementRecord placement, List<ServerRecord> servers) {
        return servers.stream().map(s -> RollingWaves.Server.of(s.id(), s.ordinal(), s.observed().createdAtProvider(),
                s.operations().pending() == null ? null : s.operations().pending().value(), s.observed().imageId(),
                placement.imageId())).toList();
    }

    private boolean publicIp(PlacementRecord.ServerSpec spec) {
        if (spec.networking() == null) {
            return false;
        }
        JsonNode networking = json.readTree(spec.networking());
        return networking.has("publicIP") && networking.get("publicIP").asBoolean();
    }
}
