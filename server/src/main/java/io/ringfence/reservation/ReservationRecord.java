package io.ringfence.reservation;

import io.ringfence.fleet.FleetManifest;
import java.time.Instant;
import java.util.List;

/** A reservation as stored, with what its read model needs from its unit type and its hosts' health. */
public record ReservationRecord(String id, String name, String description, List<ResourceTag> tags,
                                String organizationId, String projectId, String regionId, String accelerator,
                                String unit, int count, long unitTypeId, String podId, int claimedUnitCount,
                                String topologyHash, Instant topologyObservedAt, String createdBy,
                                Instant creationTime, String provisioningStatus, String statusMessage,
                                Instant deletionTime, String machineFlavorId, int hostsPerUnit,
                                FleetManifest.HostShape host, int hostsDown, String healthNote) {

    public ReservationRecord {
        tags = List.copyOf(tags);
    }

    public int claimedHosts() {
        return claimedUnitCount * hostsPerUnit;
    }
}
