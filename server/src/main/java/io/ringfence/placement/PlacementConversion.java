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
import io.ringfence.contract.model.Tag;
import io.ringfence.contract.model.WhenUnsatisfiableV2;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/** Placements and their servers from storage to the wire. Counters and details are derived, never stored. */
final class PlacementConversion {

    private PlacementConversion() {
    }

    static PlacementV2Read toRead(PlacementRecord p, List<ServerRecord> servers, JsonMapper json) {
        long running = servers.stream().filter(s -> "Running".equals(s.powerState())).count();
        long failed = servers.stream().filter(s -> "Error".equals(s.powerState()) || !s.hostHealthy()).count();
        long updated = servers.stream().filter(s -> p.imageId().equals(s.imageId()) && !"reconcile".equals(s.pendingOperation())).count();
        long inFlight = servers.stream().filter(s -> "reconcile".equals(s.pendingOperation())).count();
        long stalled = servers.stream().filter(s -> "reconcile".equals(s.pendingOperation())
                && ("Error".equals(s.powerState()) || !s.hostHealthy())).count();
        long drifted = servers.size() - updated;
        boolean current = drifted == 0 && servers.stream().noneMatch(ServerRecord::busy);

        ResourceHealthStatus health = failed == 0 ? ResourceHealthStatus.HEALTHY
                : failed >= servers.size() ? ResourceHealthStatus.ERROR : ResourceHealthStatus.DEGRADED;
        ProjectScopedResourceReadMetadata metadata = new ProjectScopedResourceReadMetadata()
                .id(p.id()).name(p.name()).description(p.description())
                .tags(p.tags().stream().map(t -> new Tag(t.name(), t.value())).toList())
                .creationTime(time(p.creationTime())).createdBy(p.createdBy())
                .modifiedTime(time(p.modifiedTime())).modifiedBy(p.modifiedBy())
                .provisioningStatus(ResourceProvisioningStatus.fromValue(p.provisioningStatus()))
                .provisioningStatusDetail(provisioningDetail(p, running, servers.size()))
                .healthStatus(health)
                .healthStatusDetail(new HealthStatusDetail(failed == 0 ? HealthStatusReason.HEALTHY
                        : HealthStatusReason.DEGRADED, failed + "/" + servers.size() + " servers are failed"))
                .deletionTime(time(p.deletionTime()))
                .organizationId(p.organizationId()).projectId(p.projectId());
        PlacementV2Status status = new PlacementV2Status()
                .regionId(p.regionId()).reservationId(p.reservationId()).networkId(p.networkId())
                .readyHostCount((int) running)
                .statusCurrent(current)
                .updatedHostCount((int) updated)
                .driftedHostCount((int) drifted)
                .inFlightCount((int) inFlight)
                .stalledCount((int) stalled)
                .maxUnavailable(p.rollingUpdate() ? p.resolvedMaxUnavailable() : 0);
        return new PlacementV2Read(metadata, spec(p, json), status);
    }

    static PlacementV2Spec spec(PlacementRecord p, JsonMapper json) {
        PlacementConstraintsV2 constraints = new PlacementConstraintsV2()
                .policy(PlacementPolicyV2.fromValue(p.policy()))
                .maxSkew(p.maxSkew()).minDomains(p.minDomains())
                .whenUnsatisfiable(p.whenUnsatisfiable() == null ? null : WhenUnsatisfiableV2.fromValue(p.whenUnsatisfiable()));
        PlacementServerSpecV2 server = new PlacementServerSpecV2()
                .imageId(p.imageId())
                .sshCertificateAuthorityId(p.sshCaId())
                .networking(p.networking() == null ? null : json.readValue(p.networking(), PlacementServerNetworkingV2.class))
                .userData(p.userData() == null ? null : Base64.getDecoder().decode(p.userData()));
        PlacementUpdateStrategyV2 strategy = new PlacementUpdateStrategyV2()
                .type(p.rollingUpdate() ? PlacementUpdateStrategyTypeV2.ROLLING_UPDATE : PlacementUpdateStrategyTypeV2.MANUAL);
        if (p.rollingUpdate()) {
            strategy.rollingUpdate(new PlacementRollingUpdateV2().maxUnavailable(
                    p.maxUnavailable() == null ? "1" : p.maxUnavailable()));
        }
        return new PlacementV2Spec()
                .count(p.hostCount())
                .constraints(constraints)
                .serverSpec(server)
                .readinessPolicy(new PlacementReadinessPolicyV2().mode(p.readinessMode() == null
                        ? PlacementReadinessModeV2.PREFER : PlacementReadinessModeV2.fromValue(p.readinessMode())))
                .updateStrategy(strategy);
    }

    static PlacementServerV2Read server(PlacementRecord p, ServerRecord s) {
        boolean deleting = p.deletionTime() != null;
        String provisioning = deleting ? "deprovisioning"
                : !s.createdAtProvider() ? "pending" : s.everRunning() ? "provisioned" : "provisioning";
        boolean failed = "Error".equals(s.powerState()) || !s.hostHealthy();
        ProjectScopedResourceReadMetadata metadata = new ProjectScopedResourceReadMetadata()
                .id(s.id()).name(s.name()).tags(null)
                .creationTime(time(s.creationTime()))
                .createdBy(p.createdBy())
                .provisioningStatus(ResourceProvisioningStatus.fromValue(provisioning))
                .healthStatus(failed ? ResourceHealthStatus.ERROR : ResourceHealthStatus.HEALTHY)
                .healthStatusDetail(new HealthStatusDetail(failed ? HealthStatusReason.DEGRADED : HealthStatusReason.HEALTHY,
                        failed ? "the server's host has failed" : "the server's host is healthy"))
                .deletionTime(time(p.deletionTime()))
                .organizationId(p.organizationId()).projectId(p.projectId());
        PlacementServerLifecycleStateV2 lifecycle = failed ? PlacementServerLifecycleStateV2.FAILED
                : !s.everRunning() ? PlacementServerLifecycleStateV2.PROVISIONING
                : "Stopped".equals(s.powerState()) ? PlacementServerLifecycleStateV2.DRAINED
                : "stop".equals(s.pendingOperation()) ? PlacementServerLifecycleStateV2.DRAINING
                : PlacementServerLifecycleStateV2.RUNNING;
        PlacementServerDriftStateV2 drift = "reconcile".equals(s.pendingOperation()) ? PlacementServerDriftStateV2.CONVERGING
                : p.imageId().equals(s.imageId()) ? PlacementServerDriftStateV2.UP_TO_DATE : PlacementServerDriftStateV2.DRIFTED;
        PlacementServerV2Status status = new PlacementServerV2Status()
                .regionId(p.regionId()).reservationId(p.reservationId()).placementId(p.id()).networkId(p.networkId())
                .infrastructureRef(s.infrastructureRef())
                .powerState(InstanceLifecyclePhase.fromValue(s.powerState()))
                .privateIP(s.privateIp()).publicIP(s.publicIp()).macAddress(s.macAddress())
                .desiredState(PlacementServerDesiredStateV2.fromValue(s.desiredState()))
                .lifecycleState(lifecycle)
                .lifecycleRevision(s.lifecycleRevision())
                .operationGeneration(s.operationGeneration())
                .observedGeneration(s.observedGeneration())
                .reconcileETag("\"" + s.lifecycleRevision() + "." + s.operationGeneration() + "\"")
                .ordinal(s.ordinal())
                .driftState(drift)
                .hostReadiness(s.hostHealthy() ? PlacementServerHostReadinessV2.READY : PlacementServerHostReadinessV2.NOT_READY)
                .hostReadinessReason(s.hostHealthy() ? null : s.hostHealthReason())
                .topologyPath(List.of(s.domainId(), s.podId(), p.regionId()));
        return new PlacementServerV2Read(metadata, status);
    }

    private static ProvisioningStatusDetail provisioningDetail(PlacementRecord p, long running, int total) {
        return switch (p.provisioningStatus()) {
            case "pending", "provisioning" -> new ProvisioningStatusDetail(ProvisioningStatusReason.PROVISIONING,
                    p.statusMessage() != null ? p.statusMessage() : running + "/" + total + " servers running");
            case "provisioned" -> new ProvisioningStatusDetail(ProvisioningStatusReason.PROVISIONED,
                    running + "/" + total + " servers running");
            case "deprovisioning" -> new ProvisioningStatusDetail(ProvisioningStatusReason.DEPROVISIONING,
                    "deleting " + total + " servers");
            default -> new ProvisioningStatusDetail(ProvisioningStatusReason.ERRORED,
                    p.statusMessage() == null ? "the servers could not be created" : p.statusMessage());
        };
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC);
    }
}
