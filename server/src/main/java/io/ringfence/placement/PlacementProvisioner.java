package io.ringfence.placement;

import io.ringfence.work.Outcome;
import io.ringfence.work.Provisioner;
import io.ringfence.work.WorkKind;
import io.ringfence.placement.PlacementRecord;
import io.ringfence.placement.PlacementRepository;
import io.ringfence.placement.PlacementService;
import io.ringfence.placement.ServerRecord;
import io.ringfence.provider.BareMetalProvider;
import io.ringfence.provider.ProviderException;
import io.ringfence.provider.PowerOperation;
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

    private final PlacementRepository placements;
    private final BareMetalProvider provider;
    private final JsonMapper json;

    public PlacementProvisioner(PlacementRepository placements, BareMetalProvider provider, JsonMapper json) {
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
        if (placement.deletionTime() != null) {
            servers.forEach(s -> provider.deleteServer(s.id()));
            placements.delete(placementId);
            return Outcome.done();
        }
        if (placement.provisioningStatus().equals("pending")) {
            placements.transition(placementId, "provisioning", null);
        }
        boolean publicIp = publicIp(placement);
        for (ServerRecord server : servers) {
            if (!server.createdAtProvider()) {
                provider.createServer(new ServerRequest(server.id(), server.name(), server.infrastructureRef(),
                        placement.imageId(), placement.networkId(), publicIp, placement.sshCaId(), placement.userData()));
                placements.markCreatedAtProvider(server.id());
            }
        }
        servers = placements.servers(placementId);
        startRollingWave(placement, servers);
        for (ServerRecord server : placements.servers(placementId)) {
            if (server.pendingOperation() != null && !server.operationIssued()) {
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
            placements.observe(server.id(), observed.powerState(), observed.imageId(), observed.privateIp(),
                    observed.publicIp(), observed.macAddress());
            if (server.pendingOperation() != null && observed.powerState().equals("Error")) {
                placements.completeOperation(server.id(), false); // a failed host ends any operation on it
            } else if (server.pendingOperation() != null && server.operationIssued() && reached(server, observed, placement)) {
                placements.completeOperation(server.id(), server.pendingOperation().equals("reconcile"));
            } else if (server.pendingOperation() != null) {
                settled = false;
            }
            if (observed.powerState().equals("Running")) {
                running++;
            } else if (!observed.powerState().equals("Stopped") && !observed.powerState().equals("Error")) {
                settled = false;
            }
        }
        boolean allUp = running == current.size();
        if (allUp && !placement.provisioningStatus().equals("provisioned")) {
            placements.transition(placementId, "provisioned", null);
        }
        boolean rolling = placement.rollingUpdate()
                && placements.servers(placementId).stream().anyMatch(s -> !placement.imageId().equals(s.imageId())
                || "reconcile".equals(s.pendingOperation()));
        if (!settled || rolling || (!allUp && !placement.provisioningStatus().equals("provisioned")
                && current.stream().noneMatch(s -> "Error".equals(s.powerState())))) {
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
        placements.transition(placementId, "error", "the platform could not create the servers");
    }

    @Override
    public void waiting(String placementId, String reason) {
        Optional<PlacementRecord> placement = placements.find(placementId);
        if (placement.isPresent() && !placement.get().provisioningStatus().equals("provisioned")) {
            placements.transition(placementId, placement.get().provisioningStatus(), reason);
        }
    }

    /** Under RollingUpdate, starts rebuilding drifted servers while fewer than maxUnavailable are in flight. */
    private void startRollingWave(PlacementRecord placement, List<ServerRecord> servers) {
        if (!placement.rollingUpdate()) {
            return;
        }
        long inFlight = servers.stream().filter(s -> "reconcile".equals(s.pendingOperation())).count();
        long slots = placement.resolvedMaxUnavailable() - inFlight;
        for (ServerRecord server : servers) {
            if (slots <= 0) {
                return;
            }
            if (server.pendingOperation() == null && server.createdAtProvider()
                    && !placement.imageId().equals(server.imageId())) {
                if (placements.requestOperation(server.id(), "reconcile", "Running")) {
                    slots--;
                }
            }
        }
    }

    private void issue(PlacementRecord placement, ServerRecord server) {
        switch (server.pendingOperation()) {
            case "reboot" -> provider.power(server.id(), PowerOperation.SOFT_REBOOT);
            case "hard-reboot" -> provider.power(server.id(), PowerOperation.HARD_REBOOT);
            case "stop" -> provider.power(server.id(), PowerOperation.STOP);
            case "reconcile" -> provider.reimage(server.id(), placement.imageId());
            default -> throw new IllegalStateException("unknown server operation " + server.pendingOperation());
        }
        placements.markOperationIssued(server.id());
    }

    private static boolean reached(ServerRecord server, ServerState observed, PlacementRecord placement) {
        return switch (server.pendingOperation()) {
            case "stop" -> observed.powerState().equals("Stopped");
            case "reconcile" -> observed.powerState().equals("Running") && placement.imageId().equals(observed.imageId());
            default -> observed.powerState().equals("Running");
        };
    }

    private boolean publicIp(PlacementRecord placement) {
        if (placement.networking() == null) {
            return false;
        }
        JsonNode networking = json.readTree(placement.networking());
        return networking.has("publicIP") && networking.get("publicIP").asBoolean();
    }
}
