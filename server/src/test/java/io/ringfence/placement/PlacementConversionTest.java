package io.ringfence.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.contract.model.HealthStatusReason;
import io.ringfence.contract.model.InstanceLifecyclePhase;
import io.ringfence.contract.model.PlacementPolicyV2;
import io.ringfence.contract.model.PlacementReadinessModeV2;
import io.ringfence.contract.model.PlacementServerDesiredStateV2;
import io.ringfence.contract.model.PlacementServerDriftStateV2;
import io.ringfence.contract.model.PlacementServerHostReadinessV2;
import io.ringfence.contract.model.PlacementServerLifecycleStateV2;
import io.ringfence.contract.model.PlacementServerV2Read;
import io.ringfence.contract.model.PlacementUpdateStrategyTypeV2;
import io.ringfence.contract.model.PlacementV2Read;
import io.ringfence.contract.model.PlacementV2Status;
import io.ringfence.contract.model.ProvisioningStatusReason;
import io.ringfence.contract.model.ResourceHealthStatus;
import io.ringfence.contract.model.ResourceProvisioningStatus;
import io.ringfence.contract.model.WhenUnsatisfiableV2;
import io.ringfence.placement.PlacementRecord.UpdateType;
import io.ringfence.placement.ServerOperation.DesiredState;
import io.ringfence.provider.PowerState;
import io.ringfence.resource.ProvisioningStatus;
import io.ringfence.resource.ResourceMetadata;
import io.ringfence.resource.ResourceTag;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/** Placements and their servers on the wire: the derived counters, states and details. */
class PlacementConversionTest {

    static final String IMAGE = "img-2";
    static final String OLD_IMAGE = "img-1";
    static final JsonMapper JSON = JsonMapper.builder().build();

    // ---- building records ----

    static ResourceMetadata metadata(Instant deletionTime) {
        return new ResourceMetadata("pl-1", "workers", "training workers", List.of(new ResourceTag("workload", "training")),
                "org-a", "project-1", "alice", Instant.parse("2026-04-28T11:04:00.400Z"), null, null, deletionTime);
    }

    static PlacementRecord placement(ProvisioningStatus status, String message, UpdateType update, String maxUnavailable,
                                     int hostCount, Instant deletionTime) {
        return new PlacementRecord(metadata(deletionTime),
                new PlacementRecord.Spec("res-1", "region-1", "net-1", hostCount,
                        new PlacementRecord.Constraints("spread", 1, 2, "bestEffort", "Require"),
                        new PlacementRecord.ServerSpec(IMAGE, "ssh-ca-1",
                                "{\"securityGroups\":[\"sg-1\"],\"publicIP\":true}",
                                Base64.getEncoder().encodeToString("#cloud-config".getBytes(StandardCharsets.UTF_8))),
                        new PlacementRecord.UpdateStrategy(update, maxUnavailable)),
                status, message);
    }

    static PlacementRecord placement() {
        return placement(ProvisioningStatus.PROVISIONED, null, UpdateType.MANUAL, null, 4, null);
    }

    /** One server: its platform state, image, pending operation and host health. */
    record S(PowerState power, String image, ServerOperation pending, boolean healthyHost) {
        static S running(String image) {
            return new S(PowerState.RUNNING, image, null, true);
        }

        ServerRecord record(int ordinal) {
            return new ServerRecord("srv-" + ordinal, "pl-1", ordinal, "workers-" + ordinal,
                    Instant.parse("2026-04-28T11:05:00.250Z"),
                    new ServerRecord.Host("host-" + ordinal, "domain-1", "pod-1", healthyHost,
                            healthyHost ? null : "GPU fell off the bus"),
                    new ServerRecord.Observed(true, power, image, "10.0.0." + ordinal, null, "fa:16:3e:00:00:0" + ordinal,
                            true),
                    new ServerRecord.Operations(pending == null ? DesiredState.RUNNING : pending.desired(), 1, 0, 0,
                            pending, false));
        }
    }

    static PlacementService.PlacementView view(PlacementRecord p, S... servers) {
        List<ServerRecord> records = new ArrayList<>();
        for (int i = 0; i < servers.length; i++) {
            records.add(servers[i].record(i));
        }
        return new PlacementService.PlacementView(p, records);
    }

    // ---- the placement's counters ----

    static final S CURRENT = S.running(IMAGE);
    static final S OLD = S.running(OLD_IMAGE);
    static final S REIMAGING = new S(PowerState.REBUILDING, IMAGE, ServerOperation.RECONCILE, true);
    static final S REIMAGING_STARTED = new S(PowerState.RUNNING, OLD_IMAGE, ServerOperation.RECONCILE, true);
    static final S REIMAGE_STALLED = new S(PowerState.ERROR, IMAGE, ServerOperation.RECONCILE, true);
    static final S REIMAGE_ON_FAILED_HOST = new S(PowerState.RUNNING, IMAGE, ServerOperation.RECONCILE, false);
    static final S STOPPING = new S(PowerState.RUNNING, IMAGE, ServerOperation.STOP, true);
    static final S REBOOTING = new S(PowerState.RUNNING, IMAGE, ServerOperation.REBOOT, true);
    static final S STOPPED = new S(PowerState.STOPPED, IMAGE, null, true);
    static final S ERRORED = new S(PowerState.ERROR, IMAGE, null, true);
    static final S FAILED_HOST = new S(PowerState.RUNNING, IMAGE, null, false);
    static final S NOT_REPORTED = new S(PowerState.PENDING, null, null, true);

    static Stream<Arguments> counters() {
        return Stream.of(
                // servers, running, updated, drifted, in flight, stalled, statusCurrent, health, failed detail
                Arguments.of(List.of(), 0, 0, 0, 0, 0, true, ResourceHealthStatus.HEALTHY, "0/0"),
                Arguments.of(List.of(CURRENT, CURRENT, CURRENT), 3, 3, 0, 0, 0, true, ResourceHealthStatus.HEALTHY, "0/3"),
                Arguments.of(List.of(CURRENT, CURRENT, OLD), 3, 2, 1, 0, 0, false, ResourceHealthStatus.HEALTHY, "0/3"),
                Arguments.of(List.of(OLD, OLD), 2, 0, 2, 0, 0, false, ResourceHealthStatus.HEALTHY, "0/2"),
                Arguments.of(List.of(CURRENT, REIMAGING), 1, 1, 1, 1, 0, false, ResourceHealthStatus.HEALTHY, "0/2"),
                Arguments.of(List.of(CURRENT, REIMAGING_STARTED), 2, 1, 1, 1, 0, false, ResourceHealthStatus.HEALTHY, "0/2"),
                Arguments.of(List.of(CURRENT, REIMAGE_STALLED), 1, 1, 1, 1, 1, false, ResourceHealthStatus.DEGRADED, "1/2"),
                Arguments.of(List.of(CURRENT, REIMAGE_ON_FAILED_HOST), 2, 1, 1, 1, 1, false,
                        ResourceHealthStatus.DEGRADED, "1/2"),
                Arguments.of(List.of(CURRENT, STOPPING), 2, 2, 0, 0, 0, false, ResourceHealthStatus.HEALTHY, "0/2"),
                Arguments.of(List.of(CURRENT, REBOOTING), 2, 2, 0, 0, 0, false, ResourceHealthStatus.HEALTHY, "0/2"),
                Arguments.of(List.of(CURRENT, STOPPED), 1, 2, 0, 0, 0, true, ResourceHealthStatus.HEALTHY, "0/2"),
                Arguments.of(List.of(CURRENT, ERRORED, CURRENT), 2, 3, 0, 0, 0, true, ResourceHealthStatus.DEGRADED, "1/3"),
                Arguments.of(List.of(ERRORED, ERRORED), 0, 2, 0, 0, 0, true, ResourceHealthStatus.ERROR, "2/2"),
                Arguments.of(List.of(FAILED_HOST), 1, 1, 0, 0, 0, true, ResourceHealthStatus.ERROR, "1/1"),
                Arguments.of(List.of(NOT_REPORTED, CURRENT), 1, 1, 1, 0, 0, false, ResourceHealthStatus.HEALTHY, "0/2"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("counters")
    void countersAndHealthAreDerivedFromTheServers(List<S> servers, int running, int updated, int drifted,
                                                   int inFlight, int stalled, boolean current,
                                                   ResourceHealthStatus health, String failed) {
        PlacementV2Read read = PlacementConversion.toRead(view(placement(), servers.toArray(S[]::new)), JSON);
        PlacementV2Status status = read.getStatus();

        assertThat(status.getReadyHostCount()).as("running").isEqualTo(running);
        assertThat(status.getUpdatedHostCount()).as("updated").isEqualTo(updated);
        assertThat(status.getDriftedHostCount()).as("drifted").isEqualTo(drifted);
        assertThat(status.getInFlightCount()).as("in flight").isEqualTo(inFlight);
        assertThat(status.getStalledCount()).as("stalled").isEqualTo(stalled);
        assertThat(status.getStatusCurrent()).as("statusCurrent").isEqualTo(current);
        assertThat(status.getUpdatedHostCount() + status.getDriftedHostCount()).isEqualTo(servers.size());
        assertThat(read.getMetadata().getHealthStatus()).as("health").isEqualTo(health);
        assertThat(read.getMetadata().getHealthStatusDetail().getReason()).isEqualTo(
                health == ResourceHealthStatus.HEALTHY ? HealthStatusReason.HEALTHY : HealthStatusReason.DEGRADED);
        assertThat(read.getMetadata().getHealthStatusDetail().getMessage()).isEqualTo(failed + " servers are failed");
    }

    @ParameterizedTest(name = "{0} ({1}) -> {2}: {3}")
    @CsvSource(delimiter = '|', value = {
            "PENDING        | null                         | PROVISIONING   | 1/2 servers running",
            "PENDING        | waiting for capacity         | PROVISIONING   | waiting for capacity",
            "PROVISIONING   | null                         | PROVISIONING   | 1/2 servers running",
            "PROVISIONING   | waiting for servers to boot  | PROVISIONING   | waiting for servers to boot",
            "PROVISIONED    | null                         | PROVISIONED    | 1/2 servers running",
            "PROVISIONED    | a stale message              | PROVISIONED    | 1/2 servers running",
            "DEPROVISIONING | null                         | DEPROVISIONING | deleting 2 servers",
            "DEPROVISIONING | waiting for servers to go    | DEPROVISIONING | deleting 2 servers",
            "ERROR          | null                         | ERRORED        | the servers could not be created",
            "ERROR          | the platform refused it      | ERRORED        | the platform refused it"})
    void provisioningDetailFollowsTheStatus(ProvisioningStatus status, String message, ProvisioningStatusReason reason,
                                            String detail) {
        PlacementRecord p = placement(status, "null".equals(message) ? null : message, UpdateType.MANUAL, null, 2, null);

        PlacementV2Read read = PlacementConversion.toRead(view(p, CURRENT, STOPPED), JSON);

        assertThat(read.getMetadata().getProvisioningStatus()).isEqualTo(ResourceProvisioningStatus.fromValue(status.value()));
        assertThat(read.getMetadata().getProvisioningStatusDetail().getReason()).isEqualTo(reason);
        assertThat(read.getMetadata().getProvisioningStatusDetail().getMessage()).isEqualTo(detail);
    }

    @ParameterizedTest(name = "{0} {1} of {2} hosts -> {3}")
    @CsvSource(delimiter = '|', value = {
            "MANUAL         | null | 4  | 0",
            "MANUAL         | 3    | 4  | 0",
            "ROLLING_UPDATE | null | 4  | 1",
            "ROLLING_UPDATE | 2    | 4  | 2",
            "ROLLING_UPDATE | 25%  | 8  | 2",
            "ROLLING_UPDATE | 25%  | 9  | 3",
            "ROLLING_UPDATE | 1%   | 4  | 1",
            "ROLLING_UPDATE | 0    | 4  | 1"})
    void maxUnavailableIsResolvedForRollingUpdatesOnly(UpdateType type, String maxUnavailable, int hosts, int expected) {
        PlacementRecord p = placement(ProvisioningStatus.PROVISIONED, null, type,
                "null".equals(maxUnavailable) ? null : maxUnavailable, hosts, null);

        PlacementV2Read read = PlacementConversion.toRead(view(p, CURRENT), JSON);

        assertThat(read.getStatus().getMaxUnavailable()).isEqualTo(expected);
        assertThat(read.getSpec().getUpdateStrategy().getType())
                .isEqualTo(PlacementUpdateStrategyTypeV2.fromValue(type.value()));
        if (type == UpdateType.ROLLING_UPDATE) {
            assertThat(read.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable())
                    .isEqualTo(maxUnavailable.equals("null") ? "1" : maxUnavailable);
        } else {
            assertThat(read.getSpec().getUpdateStrategy().getRollingUpdate()).isNull();
        }
    }

    @Test
    void theSpecIsReadBackFromItsStoredForm() {
        PlacementV2Read read = PlacementConversion.toRead(view(placement(), CURRENT), JSON);

        assertThat(read.getSpec().getCount()).isEqualTo(4);
        assertThat(read.getSpec().getConstraints().getPolicy()).isEqualTo(PlacementPolicyV2.SPREAD);
        assertThat(read.getSpec().getConstraints().getMaxSkew()).isEqualTo(1);
        assertThat(read.getSpec().getConstraints().getMinDomains()).isEqualTo(2);
        assertThat(read.getSpec().getConstraints().getWhenUnsatisfiable()).isEqualTo(WhenUnsatisfiableV2.BEST_EFFORT);
        assertThat(read.getSpec().getReadinessPolicy().getMode()).isEqualTo(PlacementReadinessModeV2.REQUIRE);
        assertThat(read.getSpec().getServerSpec().getImageId()).isEqualTo(IMAGE);
        assertThat(read.getSpec().getServerSpec().getSshCertificateAuthorityId()).isEqualTo("ssh-ca-1");
        assertThat(read.getSpec().getServerSpec().getNetworking().getSecurityGroups()).containsExactly("sg-1");
        assertThat(read.getSpec().getServerSpec().getNetworking().getPublicIP()).isTrue();
        assertThat(new String(read.getSpec().getServerSpec().getUserData(), StandardCharsets.UTF_8))
                .isEqualTo("#cloud-config");
        assertThat(read.getStatus().getRegionId()).isEqualTo("region-1");
        assertThat(read.getStatus().getReservationId()).isEqualTo("res-1");
        assertThat(read.getStatus().getNetworkId()).isEqualTo("net-1");
        assertThat(read.getMetadata().getCreationTime()).isEqualTo(OffsetDateTime.parse("2026-04-28T11:04:00Z"));
        assertThat(read.getMetadata().getTags()).extracting(t -> t.getName()).containsExactly("workload");
    }

    @Test
    void optionalSpecPartsStayAbsentAndReadinessDefaultsToPrefer() {
        PlacementRecord p = new PlacementRecord(metadata(null),
                new PlacementRecord.Spec("res-1", "region-1", "net-1", 1,
                        new PlacementRecord.Constraints("pack", null, null, null, null),
                        new PlacementRecord.ServerSpec(IMAGE, null, null, null),
                        new PlacementRecord.UpdateStrategy(UpdateType.MANUAL, null)),
                ProvisioningStatus.PENDING, null);

        PlacementV2Read read = PlacementConversion.toRead(view(p), JSON);

        assertThat(read.getSpec().getConstraints().getPolicy()).isEqualTo(PlacementPolicyV2.PACK);
        assertThat(read.getSpec().getConstraints().getWhenUnsatisfiable()).isNull();
        assertThat(read.getSpec().getConstraints().getMaxSkew()).isNull();
        assertThat(read.getSpec().getReadinessPolicy().getMode()).isEqualTo(PlacementReadinessModeV2.PREFER);
        assertThat(read.getSpec().getServerSpec().getNetworking()).isNull();
        assertThat(read.getSpec().getServerSpec().getUserData()).isNull();
        assertThat(read.getSpec().getServerSpec().getSshCertificateAuthorityId()).isNull();
    }

    // ---- one server ----

    static ServerRecord server(PowerState power, String image, ServerOperation pending, boolean healthyHost,
                               boolean createdAtProvider, boolean everRunning) {
        return new ServerRecord("srv-3", "pl-1", 3, "workers-3", Instant.parse("2026-04-28T11:05:00.250Z"),
                new ServerRecord.Host("host-3", "domain-7", "pod-2", healthyHost, healthyHost ? null : "GPU fell off the bus"),
                new ServerRecord.Observed(createdAtProvider, power, image, "10.0.0.3", "203.0.113.3", "fa:16:3e:00:00:03",
                        everRunning),
                new ServerRecord.Operations(pending == null ? DesiredState.RUNNING : pending.desired(), 5, 9, 8, pending,
                        pending != null));
    }

    @ParameterizedTest(name = "{0} {1} pending {2}, healthy host {3}, ever running {4} -> {5}, {6}")
    @CsvSource(delimiter = '|', value = {
            // power  | image | pending   | healthy | ever running | lifecycle    | drift
            "RUNNING  | img-2 | null      | true    | true  | RUNNING      | UP_TO_DATE",
            "RUNNING  | img-1 | null      | true    | true  | RUNNING      | DRIFTED",
            "RUNNING  | null  | null      | true    | true  | RUNNING      | DRIFTED",
            "RUNNING  | img-2 | REBOOT    | true    | true  | RUNNING      | UP_TO_DATE",
            "RUNNING  | img-2 | HARD_REBOOT | true  | true  | RUNNING      | UP_TO_DATE",
            "RUNNING  | img-2 | STOP      | true    | true  | DRAINING     | UP_TO_DATE",
            "STOPPING | img-2 | STOP      | true    | true  | DRAINING     | UP_TO_DATE",
            "STOPPED  | img-2 | STOP      | true    | true  | DRAINED      | UP_TO_DATE",
            "STOPPED  | img-1 | null      | true    | true  | DRAINED      | DRIFTED",
            "REBUILDING | img-2 | RECONCILE | true  | true  | RUNNING      | CONVERGING",
            "RUNNING  | img-1 | RECONCILE | true    | true  | RUNNING      | CONVERGING",
            "ERROR    | img-2 | RECONCILE | true    | true  | FAILED       | CONVERGING",
            "ERROR    | img-2 | null      | true    | true  | FAILED       | UP_TO_DATE",
            "RUNNING  | img-2 | null      | false   | true  | FAILED       | UP_TO_DATE",
            "STOPPED  | img-2 | null      | false   | true  | FAILED       | UP_TO_DATE",
            "BUILDING | img-2 | null      | true    | false | PROVISIONING | UP_TO_DATE",
            "PENDING  | img-2 | null      | true    | false | PROVISIONING | UP_TO_DATE",
            "ERROR    | img-2 | null      | true    | false | FAILED       | UP_TO_DATE",
            "STOPPED  | img-2 | null      | true    | false | PROVISIONING | UP_TO_DATE"})
    void lifecycleAndDriftStatesOfAServer(PowerState power, String image, String pending, boolean healthyHost,
                                          boolean everRunning, PlacementServerLifecycleStateV2 lifecycle,
                                          PlacementServerDriftStateV2 drift) {
        ServerOperation operation = "null".equals(pending) ? null : ServerOperation.valueOf(pending);
        ServerRecord s = server(power, "null".equals(image) ? null : image, operation, healthyHost, true, everRunning);

        PlacementServerV2Read read = PlacementConversion.server(placement(), s);

        assertThat(read.getStatus().getLifecycleState()).as("lifecycle").isEqualTo(lifecycle);
        assertThat(read.getStatus().getDriftState()).as("drift").isEqualTo(drift);
        assertThat(read.getStatus().getPowerState()).isEqualTo(InstanceLifecyclePhase.fromValue(power.value()));
        boolean failed = lifecycle == PlacementServerLifecycleStateV2.FAILED;
        assertThat(read.getMetadata().getHealthStatus())
                .isEqualTo(failed ? ResourceHealthStatus.ERROR : ResourceHealthStatus.HEALTHY);
        assertThat(read.getMetadata().getHealthStatusDetail().getMessage())
                .isEqualTo(failed ? "the server's host has failed" : "the server's host is healthy");
        assertThat(read.getStatus().getDesiredState()).isEqualTo(operation == ServerOperation.STOP
                ? PlacementServerDesiredStateV2.DRAINED : PlacementServerDesiredStateV2.RUNNING);
    }

    @ParameterizedTest(name = "created {0}, ever running {1}, deleting {2} -> {3}")
    @CsvSource({
            "false, false, false, PENDING",
            "true,  false, false, PROVISIONING",
            "true,  true,  false, PROVISIONED",
            "false, false, true,  DEPROVISIONING",
            "true,  true,  true,  DEPROVISIONING"})
    void provisioningStatusOfAServer(boolean created, boolean everRunning, boolean deleting,
                                     ResourceProvisioningStatus expected) {
        Instant deletion = deleting ? Instant.parse("2026-04-29T08:00:00.9Z") : null;
        PlacementRecord p = placement(ProvisioningStatus.PROVISIONED, null, UpdateType.MANUAL, null, 4, deletion);

        PlacementServerV2Read read = PlacementConversion.server(p,
                server(PowerState.RUNNING, IMAGE, null, true, created, everRunning));

        assertThat(read.getMetadata().getProvisioningStatus()).isEqualTo(expected);
        assertThat(read.getMetadata().getDeletionTime())
                .isEqualTo(deleting ? OffsetDateTime.parse("2026-04-29T08:00:00Z") : null);
    }

    @Test
    void hostReadinessReasonIsGivenOnlyForAnUnhealthyHost() {
        PlacementServerV2Read healthy = PlacementConversion.server(placement(),
                server(PowerState.RUNNING, IMAGE, null, true, true, true));
        PlacementServerV2Read unhealthy = PlacementConversion.server(placement(),
                server(PowerState.RUNNING, IMAGE, null, false, true, true));

        assertThat(healthy.getStatus().getHostReadiness()).isEqualTo(PlacementServerHostReadinessV2.READY);
        assertThat(healthy.getStatus().getHostReadinessReason()).isNull();
        assertThat(unhealthy.getStatus().getHostReadiness()).isEqualTo(PlacementServerHostReadinessV2.NOT_READY);
        assertThat(unhealthy.getStatus().getHostReadinessReason()).isEqualTo("GPU fell off the bus");
    }

    @Test
    void aServerCarriesItsPlacementsScopeAndItsOwnPlace() {
        PlacementServerV2Read read = PlacementConversion.server(placement(),
                server(PowerState.RUNNING, IMAGE, ServerOperation.REBOOT, true, true, true));

        assertThat(read.getMetadata().getId()).isEqualTo("srv-3");
        assertThat(read.getMetadata().getName()).isEqualTo("workers-3");
        assertThat(read.getMetadata().getOrganizationId()).isEqualTo("org-a");
        assertThat(read.getMetadata().getProjectId()).isEqualTo("project-1");
        assertThat(read.getMetadata().getCreatedBy()).isEqualTo("alice");
        assertThat(read.getMetadata().getCreationTime()).isEqualTo(OffsetDateTime.parse("2026-04-28T11:05:00Z"));
        assertThat(read.getStatus().getPlacementId()).isEqualTo("pl-1");
        assertThat(read.getStatus().getReservationId()).isEqualTo("res-1");
        assertThat(read.getStatus().getRegionId()).isEqualTo("region-1");
        assertThat(read.getStatus().getNetworkId()).isEqualTo("net-1");
        assertThat(read.getStatus().getInfrastructureRef()).isEqualTo("host-3");
        assertThat(read.getStatus().getOrdinal()).isEqualTo(3);
        assertThat(read.getStatus().getPrivateIP()).isEqualTo("10.0.0.3");
        assertThat(read.getStatus().getPublicIP()).isEqualTo("203.0.113.3");
        assertThat(read.getStatus().getMacAddress()).isEqualTo("fa:16:3e:00:00:03");
        assertThat(read.getStatus().getTopologyPath()).containsExactly("domain-7", "pod-2", "region-1");
        assertThat(read.getStatus().getLifecycleRevision()).isEqualTo(5);
        assertThat(read.getStatus().getOperationGeneration()).isEqualTo(9);
        assertThat(read.getStatus().getObservedGeneration()).isEqualTo(8);
        assertThat(read.getStatus().getReconcileETag()).isEqualTo("\"5.9\"");
    }

    @Test
    void theReconcileETagChangesWithRevisionAndGeneration() {
        List<String> tags = new ArrayList<>();
        for (long[] pair : new long[][] {{1, 0}, {1, 1}, {2, 1}, {12, 3}, {1, 23}}) {
            ServerRecord s = new ServerRecord("srv-1", "pl-1", 0, "w-0", Instant.EPOCH,
                    new ServerRecord.Host("h", "d", "p", true, null),
                    new ServerRecord.Observed(true, PowerState.RUNNING, IMAGE, null, null, null, true),
                    new ServerRecord.Operations(DesiredState.RUNNING, pair[0], pair[1], pair[1], null, false));
            tags.add(PlacementConversion.server(placement(), s).getStatus().getReconcileETag());
        }
        assertThat(tags).containsExactly("\"1.0\"", "\"1.1\"", "\"2.1\"", "\"12.3\"", "\"1.23\"").doesNotHaveDuplicates();
    }
}
