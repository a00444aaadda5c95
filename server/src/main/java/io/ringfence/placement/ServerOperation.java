package io.ringfence.placement;

import io.ringfence.provider.PowerState;

/** An operation a customer asked of one server; {@link #value()} is what the database stores. */
public enum ServerOperation {
    REBOOT("reboot", DesiredState.RUNNING),
    HARD_REBOOT("hard-reboot", DesiredState.RUNNING),
    STOP("stop", DesiredState.DRAINED),
    /** Re-image to the placement's current image (a rolling update's step, or a customer's reconcile). */
    RECONCILE("reconcile", DesiredState.RUNNING);

    private final String value;
    private final DesiredState desired;

    ServerOperation(String value, DesiredState desired) {
        this.value = value;
        this.desired = desired;
    }

    public String value() {
        return value;
    }

    /** What the customer wants the server to be once the operation is over. */
    public DesiredState desired() {
        return desired;
    }

    /** Whether the platform's report shows the operation done, given the image the placement asks for. */
    public boolean reached(PowerState observed, String observedImage, String placementImage) {
        return switch (this) {
            case STOP -> observed == PowerState.STOPPED;
            case RECONCILE -> observed == PowerState.RUNNING && placementImage.equals(observedImage);
            case REBOOT, HARD_REBOOT -> observed == PowerState.RUNNING;
        };
    }

    public static ServerOperation fromValue(String value) {
        if (value == null) {
            return null;
        }
        for (ServerOperation operation : values()) {
            if (operation.value.equals(value)) {
                return operation;
            }
        }
        throw new IllegalArgumentException("unknown server operation " + value);
    }

    /** The state a customer wants a server in; {@link #value()} is stored and sent as it is. */
    public enum DesiredState {
        RUNNING("Running"),
        DRAINED("Drained");

        private final String value;

        DesiredState(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }

        public static DesiredState fromValue(String value) {
            return value != null && value.equals(DRAINED.value) ? DRAINED : RUNNING;
        }
    }
}
