package io.ringfence.resource;

/** Where a reconciled resource stands; {@link #value()} is both the stored and the wire value. */
public enum ProvisioningStatus {
    PENDING("pending"),
    PROVISIONING("provisioning"),
    PROVISIONED("provisioned"),
    DEPROVISIONING("deprovisioning"),
    ERROR("error");

    private final String value;

    ProvisioningStatus(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static ProvisioningStatus fromValue(String value) {
        for (ProvisioningStatus status : values()) {
            if (status.value.equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown provisioning status " + value);
    }
}
