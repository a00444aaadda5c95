package io.ringfence.placement;

import io.ringfence.work.Outcome;
import io.ringfence.work.Provisioner;
import io.ringfence.work.WorkKind;
import io.ringfence.provider.BareMetalProvider;
import io.ringfence.provider.ProviderException;
import io.ringfence.planner.RollingWaves;
import io.ringfence.provider.PowerOperation;
import io.ringfence.provider.PowerState;
import io.ringfence.resource.ProvisioningStatus;
import io.ringfence.provider.ServerRequest;
import io.ringfence.provider.ServerState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Converges a placement: creates one server per placed host at the platform, carries out power and image
 * operations, rolls a new image out in waves under {@code RollingUpdate}, and tears everything down on
 * deletion (servers first, then the hosts are free). Each pass re-reads the state and repeats nothing that the
 * database says is done; while servers are still changing it yields and looks again shortly.
 */
@Component
public class PlacementProvisioner implements Provisioner {

    private static final Duration POLL = Duration.ofMillis(500);

    private final PlacementStore placements;
    private final BareMetalProvider provider;
    private final JsonMapper json;

    public PlacementProvisioner(PlacementStore placements, BareMetalProvider provider, JsonMapper json) {
        this.placements = placements;
        this.provider = provider;
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
        List<ServerRecord> servers = placements.servers(placementId);
        if (placement.deleting()) {
            servers.forEach(s -> provider.deleteServer(s.id()));
            placements.delete(placementId);
            return Outcome.done();
        }
        if (placement.provisioningStatus() == ProvisioningStatus.PENDING) {
            placements.transition(placementId, ProvisioningStatus.PROVISIONING, null);
        }
        PlacementRecord.ServerSpec spec = placement.spec().server();
        boolean publicIp = publicIp(spec);
        for (ServerRecord server : servers) {
            if (!server.observed().createdAtProvider()) {
                provider.createServer(new ServerRequest(server.id(), server.name(), server.host().infrastructureRef(),
                        spec.imageId(), placement.spec().networkId(), publicIp, spec.sshCaId(), spec.userData()));
                placements.markCreatedAtProvider(server.id());
            }
        }
        startRollingWave(placement, placements.servers(placementId));
        for (ServerRecord server : placements.servers(placementId)) {
            if (server.busy() && !server.operations().issued()) {
                issue(placement, server);
            }
        }
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
                placements.completeOperation(server.id(), false); // a failed host ends any operation on it
            } else if (pending != null && server.operations().issued()
                    && pending.reached(observed.powerState(), observed.imageId(), placement.imageId())) {
                placements.completeOperation(server.id(), pending == ServerOperation.RECONCILE);
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
            return new Outcome.Yield(POLL, running + "/" + current.size() + " servers running");
        }
        return Outcome.done();
    }

    @Override
    public boolean permanent(RuntimeException failure) {
        return ProviderException.permanent(failure);
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

    private void issue(PlacementRecord placement, ServerRecord server) {
        switch (server.operations().pending()) {
            case REBOOT -> provider.power(server.id(), PowerOperation.SOFT_REBOOT);
            case HARD_REBOOT -> provider.power(server.id(), PowerOperation.HARD_REBOOT);
            case STOP -> provider.power(server.id(), PowerOperation.STOP);
            case RECONCILE -> provider.reimage(server.id(), placement.imageId());
        }
        placements.markOperationIssued(server.id());
    }

    private boolean publicIp(PlacementRecord.ServerSpec spec) {
        if (spec.networking() == null) {
            return false;
        }
        JsonNode networking = json.readTree(spec.networking());
        return networking.has("publicIP") && networking.get("publicIP").asBoolean();
    }
}
