package io.ringfence.reservation;

import io.ringfence.contract.model.HealthStatusDetail;
import io.ringfence.contract.model.HealthStatusReason;
import io.ringfence.contract.model.ProjectScopedResourceReadMetadata;
import io.ringfence.contract.model.ProvisioningStatusDetail;
import io.ringfence.contract.model.ProvisioningStatusReason;
import io.ringfence.contract.model.ReleasedReservationUnitV2;
import io.ringfence.contract.model.ReservationUnitConsumerTypeV2;
import io.ringfence.contract.model.ReservationUnitConsumerV2;
import io.ringfence.contract.model.ReservationUnitReleaseBlockerV2;
import io.ringfence.contract.model.ReservationUnitReleaseBlockersResponse;
import io.ringfence.contract.model.ReservationUnitReleaseResponse;
import io.ringfence.contract.model.ReservationV2Read;
import io.ringfence.contract.model.ReservationV2Spec;
import io.ringfence.contract.model.ReservationV2Status;
import io.ringfence.contract.model.ResourceHealthStatus;
import io.ringfence.fleet.FleetConversion;
import io.ringfence.resource.ProvisioningStatus;
import io.ringfence.resource.ResourceConversion;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reservations from storage to the wire. Status details are derived here, never stored. */
public final class ReservationConversion {

    private ReservationConversion() {
    }

    public static ReservationV2Read toRead(ReservationRecord r) {
        ReservationRecord.Status s = r.status();
        Health health = Health.of(s.hostsDown(), r.claimedHosts(), s.healthNote());
        ProjectScopedResourceReadMetadata metadata = ResourceConversion.metadata(r.metadata())
                .provisioningStatus(ResourceConversion.status(s.provisioningStatus()))
                .provisioningStatusDetail(r.awaitingStart() && s.provisioningStatus() == ProvisioningStatus.PENDING
                        ? new ProvisioningStatusDetail(ProvisioningStatusReason.DEPENDENCY_NOT_READY,
                                ReservationProvisioner.scheduledToStart(r.spec().startTime()))
                        : provisioningDetail(s))
                .healthStatus(health.status())
                .healthStatusDetail(health.detail());
        ReservationV2Spec spec = new ReservationV2Spec()
                .regionId(r.spec().regionId())
                .accelerator(r.spec().accelerator())
                .unit(r.spec().unit())
                .count(r.spec().count())
                .startTime(r.spec().startTime() == null ? null : ResourceConversion.time(r.spec().startTime()))
                .endTime(r.spec().endTime() == null ? null : ResourceConversion.time(r.spec().endTime()));
        ReservationV2Status status = new ReservationV2Status()
                .machineFlavorId(r.unitType().machineFlavorId())
                .claimedUnitCount(s.claimedUnitCount())
                .topologyHash(s.topologyHash())
                .topologyObservedAt(ResourceConversion.time(s.topologyObservedAt()))
                .host(FleetConversion.host(r.unitType().host()));
        return new ReservationV2Read(metadata, spec, status);
    }

    static ReservationUnitReleaseResponse released(ReservationService.ReleasedUnits released) {
        return new ReservationUnitReleaseResponse()
                .reservation(toRead(released.reservation()))
                .releasedUnits(released.units().stream().map(u -> new ReleasedReservationUnitV2()
                        .id(u.domainId()).infrastructureRefs(u.hosts())).toList());
    }

    static ReservationUnitReleaseBlockersResponse blockers(Map<String, List<ReservationDependents.Consumer>> blockers) {
        ReservationUnitReleaseBlockersResponse response = new ReservationUnitReleaseBlockersResponse();
        new TreeMap<>(blockers).forEach((unitId, consumers) -> response.addBlockersItem(
                new ReservationUnitReleaseBlockerV2().unitId(unitId).consumers(
                        consumers.stream().map(c -> new ReservationUnitConsumerV2()
                                .type(ReservationUnitConsumerTypeV2.PLACEMENT)
                                .placementId(c.placementId()).serverIds(c.serverIds())).toList())));
        return response;
    }

    private static ProvisioningStatusDetail provisioningDetail(ReservationRecord.Status s) {
        String units = s.claimedUnitCount() == 1 ? "1 unit" : s.claimedUnitCount() + " units";
        return switch (s.provisioningStatus()) {
            case PENDING -> new ProvisioningStatusDetail(ProvisioningStatusReason.PROVISIONING,
                    units + " claimed; waiting to be prepared");
            case PROVISIONING -> new ProvisioningStatusDetail(ProvisioningStatusReason.PROVISIONING,
                    s.statusMessage() == null ? "preparing " + units : s.statusMessage());
            case PROVISIONED -> new ProvisioningStatusDetail(ProvisioningStatusReason.PROVISIONED, units + " ready");
            case DEPROVISIONING -> new ProvisioningStatusDetail(ProvisioningStatusReason.DEPROVISIONING,
                    "releasing " + units);
            case ERROR -> new ProvisioningStatusDetail(ProvisioningStatusReason.ERRORED,
                    s.statusMessage() == null ? "provisioning failed" : s.statusMessage());
        };
    }

    /** Healthy with no host down, degraded while some capacity is usable, error when none is. */
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
