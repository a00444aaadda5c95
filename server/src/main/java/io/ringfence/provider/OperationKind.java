package io.ringfence.provider;

/** The kinds of work Ringfence asks of the platform; {@link #value()} names them in journals and metrics. */
public enum OperationKind {
    /** Make a claimed unit ready for a reservation (fencing, partition keys, switch ports). */
    PREPARE_UNIT("prepare-unit"),
    /** Hand a unit a reservation let go of back to the platform's free pool. */
    RELEASE_UNIT("release-unit"),
    /** Create a server pinned to one host. */
    CREATE_SERVER("create-server"),
    DELETE_SERVER("delete-server"),
    /** Stop, reboot or hard-reboot a server. */
    POWER_SERVER("power-server"),
    /** Rebuild a server in place with another image. */
    REIMAGE_SERVER("reimage-server");

    private final String value;

    OperationKind(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static OperationKind fromValue(String value) {
        for (OperationKind kind : values()) {
            if (kind.value.equals(value)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown platform operation " + value);
    }
}
