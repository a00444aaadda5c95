package io.ringfence.placement;

import io.ringfence.reservation.ResourceTag;
import java.time.Instant;
import java.util.List;

/** A placement as stored. {@code networking} is the JSON of the server networking spec, or null. */
public record PlacementRecord(String id, String name, String description, List<ResourceTag> tags,
                              String organizationId, String projectId, String reservationId, String regionId,
                              String networkId, int hostCount, String policy, Integer maxSkew, Integer minDomains,
                              String whenUnsatisfiable, String readinessMode, String imageId, String sshCaId,
                              String networking, String userData, String updateType, String maxUnavailable,
                              String createdBy, Instant creationTime, String modifiedBy, Instant modifiedTime,
                              String provisioningStatus, String statusMessage, Instant deletionTime) {

    public PlacementRecord {
        tags = List.copyOf(tags);
    }

    public boolean rollingUpdate() {
        return "RollingUpdate".equals(updateType);
    }

    /** The resolved {@code maxUnavailable}: a count, or a percentage of the hosts rounded up; at least 1. */
    public int resolvedMaxUnavailable() {
        return resolveMaxUnavailable(maxUnavailable, hostCount);
    }

    public static int resolveMaxUnavailable(String value, int hosts) {
        if (value == null) {
            return 1;
        }
        int resolved = value.endsWith("%")
                ? (int) Math.ceil(Integer.parseInt(value.substring(0, value.length() - 1)) * hosts / 100.0)
                : Integer.parseInt(value);
        return Math.max(1, resolved);
    }
}
