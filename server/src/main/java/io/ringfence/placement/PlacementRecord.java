package io.ringfence.placement;

import io.ringfence.planner.RollingWaves;
import io.ringfence.resource.ProvisioningStatus;
import io.ringfence.resource.Resource;
import io.ringfence.resource.ResourceMetadata;
import java.util.Objects;

/** A placement as stored: its metadata, what was asked for, and where it stands. */
public record PlacementRecord(ResourceMetadata metadata, Spec spec, ProvisioningStatus provisioningStatus,
                              String statusMessage) implements Resource {

    public PlacementRecord {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(provisioningStatus, "provisioningStatus");
    }

    /** What the customer asked for. */
    public record Spec(String reservationId, String regionId, String networkId, int hostCount,
                       Constraints constraints, ServerSpec server, UpdateStrategy update) {
    }

    /** The planner's inputs, as their wire values. */
    public record Constraints(String policy, Integer maxSkew, Integer minDomains, String whenUnsatisfiable,
                              String readinessMode) {
    }

    /** Every server's spec. {@code networking} is the JSON of the networking spec; {@code userData} base64. */
    public record ServerSpec(String imageId, String sshCaId, String networking, String userData) {
    }

    /** How an image change reaches the servers. {@code maxUnavailable} as sent: a count or a percentage. */
    public record UpdateStrategy(UpdateType type, String maxUnavailable) {
        public UpdateStrategy {
            Objects.requireNonNull(type, "type");
        }
    }

    /** The update types; {@link #value()} is the stored and the wire value. */
    public enum UpdateType {
        MANUAL("Manual"),
        ROLLING_UPDATE("RollingUpdate");

        private final String value;

        UpdateType(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }

        public static UpdateType fromValue(String value) {
            return ROLLING_UPDATE.value.equals(value) ? ROLLING_UPDATE : MANUAL;
        }
    }


    public String imageId() {
        return spec.server().imageId();
    }

    public boolean rollingUpdate() {
        return spec.update().type() == UpdateType.ROLLING_UPDATE;
    }

    /** The resolved {@code maxUnavailable}: a count, or a percentage of the hosts rounded up; at least 1. */
    public int resolvedMaxUnavailable() {
        return RollingWaves.resolveMaxUnavailable(spec.update().maxUnavailable(), spec.hostCount());
    }
}
