package io.ringfence.lifecycle;

/** A claimed unit of reconciler work: converge resource {@code resourceId} of kind {@code kind}. */
public record WorkItem(String kind, String resourceId, long generation, int attempts) {
}
