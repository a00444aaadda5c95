package io.ringfence.work;

/**
 * The kinds of reconciler work, one provisioner each. The queue stores {@link #value()}; the features that own
 * each kind register their provisioner for it, so the queue itself knows no feature.
 */
public enum WorkKind {
    RESERVATION("reservation"),
    PLACEMENT("placement"),
    /** A unit a reservation let go of (released or swapped out), to hand back to the platform. */
    UNIT_RELEASE("unit-release");

    private final String value;

    WorkKind(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static WorkKind fromValue(String value) {
        for (WorkKind kind : values()) {
            if (kind.value.equals(value)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown work kind " + value);
    }
}
