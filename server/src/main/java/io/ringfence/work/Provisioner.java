package io.ringfence.work;

/**
 * Converges one kind of resource towards what its record asks for. Must be idempotent: a pass may be
 * repeated at any point after a crash, and several passes may see the same state.
 */
public interface Provisioner {

    /** The work item kind this provisioner handles. */
    WorkKind kind();

    Outcome reconcile(String resourceId);

    /** Called when the resource gives up for good (a terminal outcome, or retries exhausted). */
    void failed(String resourceId, String reason);


    /** Called when a pass yields: the reason (safe to show) says what the resource is waiting for. */
    default void waiting(String resourceId, String reason) {
    }
}
