package io.ringfence.reservation;

import io.ringfence.contract.model.ArchitectureV2;
import io.ringfence.contract.model.GpuVendorV2;
import io.ringfence.contract.model.HealthStatusDetail;
import io.ringfence.contract.model.HealthStatusReason;
import io.ringfence.contract.model.ProjectScopedResourceReadMetadata;
import io.ringfence.contract.model.ProvisioningStatusDetail;
import io.ringfence.contract.model.ProvisioningStatusReason;
import io.ringfence.contract.model.ReservationUnitGpuV2;
import io.ringfence.contract.model.ReservationUnitHostV2;
import io.ringfence.contract.model.ReservationV2Read;
import io.ringfence.contract.model.ReservationV2Spec;
import io.ringfence.contract.model.ReservationV2Status;
import io.ringfence.contract.model.ResourceHealthStatus;
import io.ringfence.contract.model.ResourceProvisioningStatus;
import io.ringfence.contract.model.Tag;
import io.ringfence.fleet.FleetManifest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** Reservations from storage to the wire. Status details are derived here, never stored. */
public final class ReservationConversion {

    private ReservationConversion() {
    }

    public static ReservationV2Read toRead(ReservationRecord r) {
        ProjectScopedResourceReadMetadata metadata = new ProjectScopedResourceReadMetadata()
                .id(r.id())
                .name(r.name())
                .description(r.description())
                .tags(r.tags().stream().map(t -> new Tag(t.name(), t.value())).toList())
                .creationTime(time(r.creationTime()))
                .createdBy(r.createdBy())
                .provisioningStatus(ResourceProvisioningStatus.fromValue(r.provisioningStatus()))
                .provisioningStatusDetail(provisioningDetail(r))
                .deletionTime(time(r.deletionTime()))
                .organizationId(r.organizationId())
                .projectId(r.projectId());
        Health health = Health.of(r.hostsDown(), r.claimedHosts(), r.healthNote());
        metadata.healthStatus(health.status()).healthStatusDetail(health.detail());
        ReservationV2Spec spec = new ReservationV2Spec()
                .regionId(r.regionId())
                .accelerator(r.accelerator())
                .unit(r.unit())
                .count(r.count());
        ReservationV2Status status = new ReservationV2Status()
                .machineFlavorId(r.machineFlavorId())
                .claimedUnitCount(r.claimedUnitCount())
                .topologyHash(r.topologyHash())
                .topologyObservedAt(time(r.topologyObservedAt()))
                .host(host(r.host()));
        return new ReservationV2Read(metadata, spec, status);
    }

    public static ReservationUnitHostV2 host(FleetManifest.HostShape shape) {
        FleetManifest.Gpu gpu = shape.gpu();
        return new ReservationUnitHostV2()
                .cpus(shape.cpus())
                .memory(shape.memory())
                .disk(shape.disk())
                .architecture(ArchitectureV2.fromValue(shape.architecture()))
                .gpu(new ReservationUnitGpuV2()
                        .vendor(GpuVendorV2.fromValue(gpu.vendor()))
                        .model(gpu.model())
                        .physicalCount(gpu.physicalCount())
                        .logicalCount(gpu.logicalCount())
                        .memory(gpu.memory()));
    }

    private static ProvisioningStatusDetail provisioningDetail(ReservationRecord r) {
        String units = r.claimedUnitCount() == 1 ? "1 unit" : r.claimedUnitCount() + " units";
        return switch (r.provisioningStatus()) {
            case "pending" -> new ProvisioningStatusDetail(ProvisioningStatusReason.PROVISIONING,
                    units + " claimed; waiting to be prepared");
            case "provisioning" -> new ProvisioningStatusDetail(ProvisioningStatusReason.PROVISIONING,
                    r.statusMessage() == null ? "preparing " + units : r.statusMessage());
            case "provisioned" -> new ProvisioningStatusDetail(ProvisioningStatusReason.PROVISIONED,
                    units + " ready");
            case "deprovisioning" -> new ProvisioningStatusDetail(ProvisioningStatusReason.DEPROVISIONING,
                    "releasing " + units);
            default -> new ProvisioningStatusDetail(ProvisioningStatusReason.ERRORED,
                    r.statusMessage() == null ? "provisioning failed" : r.statusMessage());
        };
    }

    static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC);
    }

    /** Reference section 0, item 8: healthy, degraded while some capacity is usable, error when none is. */
    record Health(ResourceHealthStatus status, HealthStatusDetail detail) {
        static Health of(int down, int total, String note) {
            String message = down + "/" + total + " hosts are down" + (down > 0 && note != null ? "; " + note : "");
            if (down == 0) {
                return new Health(ResourceHealthStatus.HEALTHY, new HealthStatusDetail(HealthStatusReason.HEALTHY, message));
            }
            ResourceHealthStatus status = down >= total ? ResourceHealthStatus.ERROR : ResourceHealthStatus.DEGRADED;
            return new Health(status, new HealthStatusDetail(HealthStatusReason.DEGRADED, message));
        }
    }
}
