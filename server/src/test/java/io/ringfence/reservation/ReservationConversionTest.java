package io.ringfence.reservation;

import io.ringfence.support.Reservations;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.contract.model.ArchitectureV2;
import io.ringfence.contract.model.HealthStatusReason;
import io.ringfence.contract.model.ProvisioningStatusReason;
import io.ringfence.contract.model.ReservationV2Read;
import io.ringfence.contract.model.ResourceHealthStatus;
import io.ringfence.contract.model.ResourceProvisioningStatus;
import io.ringfence.fleet.HostShape;
import io.ringfence.fleet.UnitType;
import io.ringfence.resource.ProvisioningStatus;
import io.ringfence.resource.ResourceMetadata;
import io.ringfence.resource.ResourceTag;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reservations on the wire: derived provisioning and health details, times, tags and the unit's shape. */
class ReservationConversionTest {

    static final HostShape HOST = new HostShape(144, 960, 0, "aarch64",
            new HostShape.Gpu("NVIDIA", "GB300", 4, 4, 288));
    /** 18 hosts per unit. */
    static final UnitType NVL72 = new UnitType(1, "region-1", "GB300", "NVL72", "g.72.gb300.pinned", "GB300_HOST", 18,
            HOST);

    static ResourceMetadata metadata() {
        return new ResourceMetadata("r-1", "training", "for the big run",
                List.of(new ResourceTag("team", "ml"), new ResourceTag("cost-centre", "42")), "org-a", "project-1",
                "alice", Instant.parse("2026-04-28T11:04:00.750Z"), "bob", Instant.parse("2026-04-28T11:05:30.000001Z"),
                null);
    }

    static ReservationRecord reservation(ProvisioningStatus status, String message, int units, int hostsDown,
                                         String healthNote) {
        return new ReservationRecord(metadata(), new ReservationRecord.Spec("region-1", "GB300", "NVL72", units),
                new ReservationRecord.Status(status, message, "pod-1", units, "sha256:abc",
                        Instant.parse("2026-04-28T11:06:00.999Z"), hostsDown, healthNote),
                NVL72);
    }

    static String nullable(String value) {
        return "null".equals(value) ? null : value;
    }

    @ParameterizedTest(name = "{0} ({1}), {2} units -> {3}: {4}")
    @CsvSource(delimiter = '|', value = {
            "PENDING        | null                       | 1 | PROVISIONING   | 1 unit claimed; waiting to be prepared",
            "PENDING        | null                       | 3 | PROVISIONING   | 3 units claimed; waiting to be prepared",
            "PENDING        | waiting for the platform   | 2 | PROVISIONING   | 2 units claimed; waiting to be prepared",
            "PROVISIONING   | null                       | 1 | PROVISIONING   | preparing 1 unit",
            "PROVISIONING   | null                       | 4 | PROVISIONING   | preparing 4 units",
            "PROVISIONING   | waiting to retry after a platform error | 4 | PROVISIONING | waiting to retry after a platform error",
            "PROVISIONED    | null                       | 1 | PROVISIONED    | 1 unit ready",
            "PROVISIONED    | null                       | 0 | PROVISIONED    | 0 units ready",
            "PROVISIONED    | stale message              | 8 | PROVISIONED    | 8 units ready",
            "DEPROVISIONING | null                       | 1 | DEPROVISIONING | releasing 1 unit",
            "DEPROVISIONING | null                       | 5 | DEPROVISIONING | releasing 5 units",
            "ERROR          | null                       | 2 | ERRORED        | provisioning failed",
            "ERROR          | the platform could not prepare the reserved units | 2 | ERRORED | the platform could not prepare the reserved units"})
    void provisioningDetailFollowsTheStatus(ProvisioningStatus status, String message, int units,
                                            ProvisioningStatusReason reason, String detail) {
        ReservationV2Read read = ReservationConversion.toRead(reservation(status, nullable(message), units, 0, null));

        assertThat(read.getMetadata().getProvisioningStatus())
                .isEqualTo(ResourceProvisioningStatus.fromValue(status.value()));
        assertThat(read.getMetadata().getProvisioningStatusDetail().getReason()).isEqualTo(reason);
        assertThat(read.getMetadata().getProvisioningStatusDetail().getMessage()).isEqualTo(detail);
    }

    @ParameterizedTest(name = "{0} units, {1} down ({2}) -> {3}")
    @CsvSource(delimiter = '|', value = {
            // units (18 hosts each) | hosts down | note | health | reason | message
            "2 | 0  | null                  | HEALTHY  | HEALTHY  | 0/36 hosts are down",
            "2 | 0  | a stale note          | HEALTHY  | HEALTHY  | 0/36 hosts are down",
            "2 | 1  | null                  | DEGRADED | DEGRADED | 1/36 hosts are down",
            "2 | 1  | no spare in the pod   | DEGRADED | DEGRADED | 1/36 hosts are down; no spare in the pod",
            "2 | 35 | null                  | DEGRADED | DEGRADED | 35/36 hosts are down",
            "2 | 36 | null                  | ERROR    | DEGRADED | 36/36 hosts are down",
            "2 | 36 | no spare in the pod   | ERROR    | DEGRADED | 36/36 hosts are down; no spare in the pod",
            "1 | 18 | null                  | ERROR    | DEGRADED | 18/18 hosts are down",
            "1 | 19 | null                  | ERROR    | DEGRADED | 19/18 hosts are down",
            "1 | 17 | null                  | DEGRADED | DEGRADED | 17/18 hosts are down",
            "0 | 0  | null                  | HEALTHY  | HEALTHY  | 0/0 hosts are down"})
    void healthFollowsHostsDownAgainstClaimedHosts(int units, int down, String note, ResourceHealthStatus health,
                                                   HealthStatusReason reason, String message) {
        ReservationV2Read read = ReservationConversion.toRead(
                reservation(ProvisioningStatus.PROVISIONED, null, units, down, nullable(note)));

        assertThat(read.getMetadata().getHealthStatus()).isEqualTo(health);
        assertThat(read.getMetadata().getHealthStatusDetail().getReason()).isEqualTo(reason);
        assertThat(read.getMetadata().getHealthStatusDetail().getMessage()).isEqualTo(message);
    }

    @Test
    void timesAreWholeSecondsInUtc() {
        ReservationV2Read read = ReservationConversion.toRead(reservation(ProvisioningStatus.PROVISIONED, null, 1, 0,
                null));

        assertThat(read.getMetadata().getCreationTime()).isEqualTo(OffsetDateTime.parse("2026-04-28T11:04:00Z"));
        assertThat(read.getMetadata().getModifiedTime()).isEqualTo(OffsetDateTime.parse("2026-04-28T11:05:30Z"));
        assertThat(read.getStatus().getTopologyObservedAt()).isEqualTo(OffsetDateTime.parse("2026-04-28T11:06:00Z"));
        assertThat(read.getMetadata().getCreationTime().getOffset()).isEqualTo(ZoneOffset.UTC);
        assertThat(read.getMetadata().getDeletionTime()).isNull();
    }

    @Test
    void metadataSpecAndStatusAreCarriedOver() {
        ReservationV2Read read = ReservationConversion.toRead(reservation(ProvisioningStatus.PROVISIONED, null, 3, 0,
                null));

        assertThat(read.getMetadata().getId()).isEqualTo("r-1");
        assertThat(read.getMetadata().getName()).isEqualTo("training");
        assertThat(read.getMetadata().getDescription()).isEqualTo("for the big run");
        assertThat(read.getMetadata().getTags()).extracting(t -> t.getName() + "=" + t.getValue())
                .containsExactly("team=ml", "cost-centre=42");
        assertThat(read.getMetadata().getOrganizationId()).isEqualTo("org-a");
        assertThat(read.getMetadata().getProjectId()).isEqualTo("project-1");
        assertThat(read.getMetadata().getCreatedBy()).isEqualTo("alice");
        assertThat(read.getMetadata().getModifiedBy()).isEqualTo("bob");
        assertThat(read.getSpec().getRegionId()).isEqualTo("region-1");
        assertThat(read.getSpec().getAccelerator()).isEqualTo("GB300");
        assertThat(read.getSpec().getUnit()).isEqualTo("NVL72");
        assertThat(read.getSpec().getCount()).isEqualTo(3);
        assertThat(read.getStatus().getMachineFlavorId()).isEqualTo("g.72.gb300.pinned");
        assertThat(read.getStatus().getClaimedUnitCount()).isEqualTo(3);
        assertThat(read.getStatus().getTopologyHash()).isEqualTo("sha256:abc");
        assertThat(read.getStatus().getHost().getCpus()).isEqualTo(144);
        assertThat(read.getStatus().getHost().getArchitecture()).isEqualTo(ArchitectureV2.AARCH64);
        assertThat(read.getStatus().getHost().getGpu().getModel()).isEqualTo("GB300");
    }

    @Test
    void aReservationWithoutTagsHasAnEmptyTagList() {
        ResourceMetadata m = ResourceMetadata.created("r-2", "n", null, List.of(), "org-a", "project-1", "alice",
                Instant.parse("2026-04-28T11:04:00Z"));
        ReservationRecord r = new ReservationRecord(m, new ReservationRecord.Spec("region-1", "GB300", "NVL72", 1),
                new ReservationRecord.Status(ProvisioningStatus.PENDING, null, null, 1, null, null, 0, null), NVL72);

        ReservationV2Read read = ReservationConversion.toRead(r);

        assertThat(read.getMetadata().getTags()).isEmpty();
        assertThat(read.getStatus().getTopologyObservedAt()).isNull();
        assertThat(read.getStatus().getTopologyHash()).isNull();
    }
}
