package io.ringfence.placement;

import io.ringfence.contract.model.HealthStatusDetail;
import io.ringfence.contract.model.HealthStatusReason;
import io.ringfence.contract.model.InstanceLifecyclePhase;
import io.ringfence.contract.model.PlacementConstraintsV2;
import io.ringfence.contract.model.PlacementPolicyV2;
import io.ringfence.contract.model.PlacementReadinessModeV2;
import io.ringfence.contract.model.PlacementReadinessPolicyV2;
import io.ringfence.contract.model.PlacementRollingUpdateV2;
import io.ringfence.contract.model.PlacementServerDesiredStateV2;
import io.ringfence.contract.model.PlacementServerDriftStateV2;
import io.ringfence.contract.model.PlacementServerHostReadinessV2;
import io.ringfence.contract.model.PlacementServerLifecycleStateV2;
import io.ringfence.contract.model.PlacementServerNetworkingV2;
import io.ringfence.contract.model.PlacementServerSpecV2;
import io.ringfence.contract.model.PlacementServerV2Read;
import io.ringfence.contract.model.PlacementServerV2Status;
import io.ringfence.contract.model.PlacementUpdateStrategyTypeV2;
import io.ringfence.contract.model.PlacementUpdateStrategyV2;
import io.ringfence.contract.model.PlacementV2Read;
import io.ringfence.contract.model.PlacementV2Spec;
import io.ringfence.contract.model.PlacementV2Status;
import io.ringfence.contract.model.ProjectScopedResourceReadMetadata;
import io.ringfence.contract.model.ProvisioningStatusDetail;
import io.ringfence.contract.model.ProvisioningStatusReason;
import io.ringfence.contract.model.ResourceHealthStatus;
import io.ringfence.contract.model.ResourceProvisioningStatus;
import io.ringfence.contract.model.WhenUnsatisfiableV2;
import io.ringfence.provider.PowerState;
import io.ringfence.resource.ResourceConversion;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/** Placements and their servers from storage to the wire. Counters and details are derived, never stored. */
public final class PlacementConversion {

    private PlacementConversion() {
    }

    public static PlacementV2Read toRead(PlacementService.PlacementView view, JsonMapper json) {
        PlacementRecord p = view.placement();
        List<ServerRecord> servers = view.servers();
        long running = servers.stream().filter(ServerRecord::running).count();
        long failed = servers.stream().filter(ServerRecord::failed).count();
        long updated = servers.stream()
                .filter(s -> p.imageId().equals(s.observed().imageId()) && !s.reimaging()).count();
        long inFlight = servers.stream().filter(ServerRecord::reimaging).count();
        long stalled = servers.stream().filter(s -> s.reimaging() && s.failed()).count();
        long drifted = servers.size() - updated;
        boolean current = drifted == 0 && servers.stream().noneMatch(ServerRecord::busy);

        ResourceHealthStatus health = failed == 0 ? ResourceHealthStatus.HEALTHY
                : failed >= servers.size() ? ResourceHealthStatus.ERROR : ResourceHealthStatus.DEGRADED;
        ProjectScopedResourceReadMetadata metadata = ResourceConversion.metadata(p.metadata())
                .provisioningStatus(ResourceConversion.status(p.provisioningStatus()))
                .provisioningStatusDetail(provisioningDetail(p, running, servers.size()))
                .healthStatus(health)
                .healthStatusDetail(new HealthStatusDetail(failed == 0 ? HealthStatusReason.HEALTHY
                        : HealthStatusReason.DEGRADED, failed + "/" + servers.size() + " servers are failed"));
        PlacementV2Status status = new PlacementV2Status()
                .regionId(p.spec().regionId()).reservationId(p.spec().reservationId()).networkId(p.spec().networkId())
                .readyHostCount((int) running)
                .statusCurrent(current)
                .updatedHostCount((int) updated)
                .driftedHostCount((int) drifted)
                .inFlightCount((int) inFlight)
                .stalledCount((int) stalled)
                .maxUnavailable(p.rollingUpdate() ? p.resolvedMaxUnavailable() : 0);
        return new PlacementV2Read(metadata, spec(p, json), status);
    }

    private static PlacementV2Spec spec(PlacementRecord p, JsonMapper json) {
        PlacementRecord.Constraints c = p.spec().constraints();
        PlacementRecord.ServerSpec s = p.spec().server();
        PlacementConstraintsV2 constraints = new PlacementConstraintsV2()
                .policy(PlacementPolicyV2.fromValue(c.policy()))
                .maxSkew(c.maxSkew()).minDomains(c.minDomains())
                .whenUnsatisfiable(c.whenUnsatisfiable() == null ? null
                        : WhenUnsatisfiableV2.fromValue(c.whenUnsatisfiable()));
        PlacementServerSpecV2 server = new PlacementServerSpecV2()
                .imageId(s.imageId())
                .sshCertificateAuthorityId(s.sshCaId())
                .networking(s.networking() == null ? null
                        : json.readValue(s.networking(), PlacementServerNetworkingV2.class))
                .userData(s.userData() == null ? null : Base64.getDecoder().decode(s.userData()));
        PlacementUpdateStrategyV2 strategy = new PlacementUpdateStrategyV2()
                .type(PlacementUpdateStrategyTypeV2.fromValue(p.spec().update().type().value()));
        if (p.rollingUpdate()) {
            String maxUnavailable = p.spec().update().maxUnavailable();
            strategy.rollingUpdate(new PlacementRollingUpdateV2().maxUnavailable(
                    maxUnavailable == null ? "1" : maxUnavailable));
        }
        return new PlacementV2Spec()
                .count(p.spec().hostCount())
                .constraints(constraints)
                .serverSpec(server)
                .readinessPolicy(new PlacementReadinessPolicyV2().mode(c.readinessMode() == null
                        ? PlacementReadinessModeV2.PREFER : PlacementReadinessModeV2.fromValue(c.readinessMode())))
                .updateStrategy(strategy);
    }

    public static PlacementServerV2Read server(PlacementRecord p, ServerRecord s) {
        ServerRecord.Observed observed = s.observed();
        ServerRecord.Operations operations = s.operations();
        ResourceProvisioningStatus provisioning = p.deleting() ? ResourceProvisioningStatus.DEPROVISIONING
                : !observed.createdAtProvider() ? ResourceProvisioningStatus.PENDING
                : observed.everRunning() ? ResourceProvisioningStatus.PROVISIONED
                : ResourceProvisioningStatus.PROVISIONING;
        boolean failed = s.failed();
        ProjectScopedResourceReadMetadata metadata = new ProjectScopedResourceReadMetadata()
                .id(s.id()).name(s.name()).tags(null)
                .creationTime(ResourceConversion.time(s.creationTime()))
                .createdBy(p.metadata().createdBy())
                .provisioningStatus(provisioning)
                .healthStatus(failed ? ResourceHealthStatus.ERROR : ResourceHealthStatus.HEALTHY)
                .healthStatusDetail(new HealthStatusDetail(failed ? HealthStatusReason.DEGRADED : HealthStatusReason.HEALTHY,
                        failed ? "the server's host has failed" : "the server's host is healthy"))
                .deletionTime(ResourceConversion.time(p.metadata().deletionTime()))
                .organizationId(p.organizationId()).projectId(p.projectId());
        PlacementServerLifecycleStateV2 lifecycle = failed ? PlacementServerLifecycleStateV2.FAILED
                : !observed.everRunning() ? PlacementServerLifecycleStateV2.PROVISIONING
                : observed.powerState() == PowerState.STOPPED ? PlacementServerLifecycleStateV2.DRAINED
                : operations.pending() == ServerOperation.STOP ? PlacementServerLifecycleStateV2.DRAINING
                : PlacementServerLifecycleStateV2.RUNNING;
        PlacementServerDriftStateV2 drift = s.reimaging() ? PlacementServerDriftStateV2.CONVERGING
                : p.imageId().equals(observed.imageId()) ? PlacementServerDriftStateV2.UP_TO_DATE
                : PlacementServerDriftStateV2.DRIFTED;
        ServerRecord.Host host = s.host();
        PlacementServerV2Status status = new PlacementServerV2Status()
                .regionId(p.spec().regionId()).reservationId(p.spec().reservationId()).placementId(p.id())
                .networkId(p.spec().networkId())
                .infrastructureRef(host.infrastructureRef())
                .powerState(InstanceLifecyclePhase.fromValue(observed.powerState().value()))
                .privateIP(observed.privateIp()).publicIP(observed.publicIp()).macAddress(observed.macAddress())
                .desiredState(PlacementServerDesiredStateV2.fromValue(operations.desiredState().value()))
                .lifecycleState(lifecycle)
                .lifecycleRevision(operations.lifecycleRevision())
                .operationGeneration(operations.operationGeneration())
                .observedGeneration(operations.observedGeneration())
                .reconcileETag("\"" + operations.lifecycleRevision() + "." + operations.operationGeneration() + "\"")
                .ordinal(s.ordinal())
                .driftState(drift)
                .hostReadiness(host.healthy() ? PlacementServerHostReadinessV2.READY
                        : PlacementServerHostReadinessV2.NOT_READY)
                .hostReadinessReason(host.healthy() ? null : host.healthReason())
                .topologyPath(List.of(host.domainId(), host.podId(), p.spec().regionId()));
        return new PlacementServerV2Read(metadata, status);
    }

    private static ProvisioningStatusDetail provisioningDetail(PlacementRecord p, long running, int total) {
        return switch (p.provisioningStatus()) {
            case PENDING, PROVISIONING -> new ProvisioningStatusDetail(ProvisioningStatusReason.PROVISIONING,
                    p.statusMessage() != null ? p.statusMessage() : running + "/" + total + " servers running");
            case PROVISIONED -> new ProvisioningStatusDetail(ProvisioningStatusReason.PROVISIONED,
                    running + "/" + total + " servers running");
            case DEPROVISIONING -> new ProvisioningStatusDetail(ProvisioningStatusReason.DEPROVISIONING,
                    "deleting " + total + " servers");
            case ERROR -> new ProvisioningStatusDetail(ProvisioningStatusReason.ERRORED,
                    p.statusMessage() == null ? "the servers could not be created" : p.statusMessage());
        };
    }
}
