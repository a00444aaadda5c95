package io.ringfence.work;

import java.util.List;
import java.util.Map;

/**
 * Converges one kind of resource towards what its record asks for. Must be idempotent: a pass may be
 * repeated at any point after a crash, and several passes may see the same state.
 */
public interface Provisioner {

    /** The work item kind this provisioner handles. */
    WorkKind kind();

    Outcome reconcile(String resourceId);

    /**
     * One pass over each of several resources, sharing statements and commits between them where the provisioner
     * can. Returns the outcome of every resource it passed over; the reconciler passes over each one missing alone,
     * with {@link #reconcile}. The default passes over none, so a provisioner without a shared pass needs nothing.
     * A failure here costs no resource anything: each is then passed over alone.
     */
    default Map<String, Outcome> reconcileAll(List<String> resourceIds) {
        return Map.of();
    }

    /** Called when the resource gives up for good (a terminal outcome, or retries exhausted). */
    void failed(String resourceId, String reason);


    /** Called when a pass yields: the reason (safe to show) says what the resource is waiting for. */
    default void waiting(String resourceId, String reason) {
    }

    /** {@link #waiting} for the yields of a shared pass, by resource. */
    default void waitingAll(Map<String, String> reasons) {
        reasons.forEach(this::waiting);
    }
}
