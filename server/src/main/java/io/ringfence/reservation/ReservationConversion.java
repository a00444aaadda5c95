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
        return toRead(r, false);
    }

    /**
     * The answer of one reservation on its own (create, read, extend): the same model, written from the record by
     * {@link ReservationReadConverter}. Only for a whole answer: nested in another model, Jackson would serialize it
     * as a class of its own.
     */
    static ReservationV2Read toReadBody(ReservationRecord r) {
        return toRead(r, true);
    }

    private static ReservationV2Read toRead(ReservationRecord r, boolean body) {
        ReservationRecord.Status s = r.status();
        Health health = health(r);
        Detail provisioning = provisioning(r);
        ProjectScopedResourceReadMetadata metadata = ResourceConversion.metadata(r.metadata())
                .provisioningStatus(ResourceConversion.status(s.provisioningStatus()))
                .provisioningStatusDetail(new ProvisioningStatusDetail(provisioning.reason(), provisioning.message()))
                .healthStatus(health.status())
                .healthStatusDetail(new HealthStatusDetail(health.reason(), health.message()));
        ReservationV2Spec spec = new ReservationV2Spec()
                .regionId(r.spec().regionId())
                .accelerator(r.spec().accelerator())
                .unit(r.spec().unit())
                .count(r.spec().count())
                .startTime(ResourceConversion.time(r.spec().startTime()))
                .endTime(ResourceConversion.time(r.spec().endTime()));
        ReservationV2Status status = new ReservationV2Status()
                .machineFlavorId(r.unitType().machineFlavorId())
                .claimedUnitCount(s.claimedUnitCount())
                .topologyHash(s.topologyHash())
                .topologyObservedAt(ResourceConversion.time(s.topologyObservedAt()))
                .host(FleetConversion.host(r.unitType().host()));
        return body ? new ReservationReadBody(metadata, spec, status, r) : new ReservationV2Read(metadata, spec, status);
    }

    /** The derived health of a reservation; shared by {@link #toRead} and the streamed list. */
    static Health health(ReservationRecord r) {
        return Health.of(r.status().hostsDown(), r.claimedHosts(), r.status().healthNote());
    }

    /**
     * The derived provisioning detail of a reservation; shared by {@link #toRead} and the streamed list, so the two
     * can never disagree about what a status means.
     */
    static Detail provisioning(ReservationRecord r) {
        ReservationRecord.Status s = r.status();
        if (r.awaitingStart() && s.provisioningStatus() == ProvisioningStatus.PENDING) {
            return new Detail(ProvisioningStatusReason.DEPENDENCY_NOT_READY,
                    ReservationProvisioner.scheduledToStart(r.spec().startTime()));
        }
        return provisioningDetail(s);
    }

    /** A provisioning reason and its message, before it becomes a wire model. */
    record Detail(ProvisioningStatusReason reason, String message) {
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

    private static Detail provisioningDetail(ReservationRecord.Status s) {
        String units = s.claimedUnitCount() == 1 ? "1 unit" : s.claimedUnitCount() + " units";
        return switch (s.provisioningStatus()) {
            case PENDING -> new Detail(ProvisioningStatusReason.PROVISIONING,
                    units + " claimed; waiting to be prepared");
            case PROVISIONING -> new Detail(ProvisioningStatusReason.PROVISIONING,
                    s.statusMessage() == null ? "preparing " + units : s.statusMessage());
            case PROVISIONED -> new Detail(ProvisioningStatusReason.PROVISIONED, units + " ready");
            case DEPROVISIONING -> new Detail(ProvisioningStatusReason.DEPROVISIONING, "releasing " + units);
            case ERROR -> new Detail(ProvisioningStatusReason.ERRORED,
                    s.statusMessage() == null ? "provisioning failed" : s.statusMessage());
        };
    }

    /** Healthy with no host down, degraded while some capacity is usable, error when none is. */
    record Health(ResourceHealthStatus status, HealthStatusReason reason, String message) {
        static Health of(int down, int total, String note) {
            String message = down + "/" + total + " hosts are down" + (down > 0 && note != null ? "; " + note : "");
            if (down == 0) {
                return new Health(ResourceHealthStatus.HEALTHY, HealthStatusReason.HEALTHY, message);
            }
            ResourceHealthStatus status = down >= total ? ResourceHealthStatus.ERROR : ResourceHealthStatus.DEGRADED;
            return new Health(status, HealthStatusReason.DEGRADED, message);
        }
    }
}
