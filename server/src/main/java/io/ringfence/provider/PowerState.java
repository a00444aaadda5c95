package io.ringfence.provider;

/** A server's power state as the platform reports it; {@link #value()} is the stored and the wire value. */
public enum PowerState {
    PENDING("Pending"),
    QUEUED("Queued"),
    BUILDING("Building"),
    RUNNING("Running"),
    STOPPING("Stopping"),
    STOPPED("Stopped"),
    REBUILDING("Rebuilding"),
    ERROR("Error");

    private final String value;

    PowerState(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    /** Neither on its way nor changing: running, stopped, or failed. */
    public boolean settled() {
        return this == RUNNING || this == STOPPED || this == ERROR;
    }

    public static PowerState fromValue(String value) {
        for (PowerState state : values()) {
            if (state.value.equals(value)) {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown power state " + value);
    }
}
