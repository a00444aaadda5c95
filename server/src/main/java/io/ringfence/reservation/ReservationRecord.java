package io.ringfence.reservation;

import io.ringfence.fleet.UnitType;
import io.ringfence.resource.ProvisioningStatus;
import io.ringfence.resource.Resource;
import io.ringfence.resource.ResourceMetadata;
import java.time.Instant;
import java.util.Objects;

/** A reservation as stored: its metadata, what was asked for, where it stands, and the unit type it holds. */
public record ReservationRecord(ResourceMetadata metadata, Spec spec, Status status, UnitType unitType)
        implements Resource {

    public ReservationRecord {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(unitType, "unitType");
    }

    /** What the customer asked for. */
    public record Spec(String regionId, String accelerator, String unit, int count) {
    }

    /**
     * Where it stands: its provisioning status (with why it waits or failed), the pod and how many units it holds,
     * the hash of that claim, and how many of its hosts are down (with what could not be healed).
     */
    public record Status(ProvisioningStatus provisioningStatus, String statusMessage, String podId,
                         int claimedUnitCount, String topologyHash, Instant topologyObservedAt, int hostsDown,
                         String healthNote) {
        public Status {
            Objects.requireNonNull(provisioningStatus, "provisioningStatus");
        }
    }


    public int claimedHosts() {
        return status.claimedUnitCount() * unitType.hostsPerUnit();
    }
}
