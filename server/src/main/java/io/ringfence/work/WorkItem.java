package io.ringfence.work;

/**
 * A claimed unit of reconciler work: converge resource {@code resourceId} of kind {@code kind}.
 * {@code waitedMillis} is how long it was due before a worker took it.
 */
public record WorkItem(WorkKind kind, String resourceId, long generation, int attempts, long waitedMillis) {
}
