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

    /**
     * What the customer asked for: {@code count} contiguous units, from {@code startTime} (null: from its creation)
     * until {@code endTime} (null: open-ended).
     */
    public record Spec(String regionId, String accelerator, String unit, int count, Instant startTime,
                       Instant endTime) {
        public Spec(String regionId, String accelerator, String unit, int count) {
            this(regionId, accelerator, unit, count, null, null);
        }
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


    /** Booked for later and not yet started: it holds a booking, but no units, and has no topology hash. */
    public boolean awaitingStart() {
        return status.topologyHash() == null;
    }

    public int claimedHosts() {
        return status.claimedUnitCount() * unitType.hostsPerUnit();
    }
}
