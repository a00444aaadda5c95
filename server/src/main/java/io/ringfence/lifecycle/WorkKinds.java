package io.ringfence.lifecycle;

/** The kinds of reconciler work, one provisioner each. */
public final class WorkKinds {

    public static final String RESERVATION = "reservation";
    public static final String PLACEMENT = "placement";
    /** A unit a reservation let go of (released or swapped out), to hand back to the platform. */
    public static final String UNIT_RELEASE = "unit-release";

    private WorkKinds() {
    }
}
