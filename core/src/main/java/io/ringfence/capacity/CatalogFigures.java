package io.ringfence.capacity;

import java.util.Collection;

/**
 * The unit catalog's numbers for one capacity pool, from per-pod counts.
 *
 * @param totalCount every unit of the offering
 * @param availableUnitCount units neither claimed nor unhealthy
 * @param largestContiguousUnitCount the most free units in any single pod: the largest reservation that
 *     would be accepted right now
 */
public record CatalogFigures(int totalCount, int availableUnitCount, int largestContiguousUnitCount) {

    /** Units of one pod: how many there are and how many are free and healthy. */
    public record PodCounts(int total, int free) {
        public PodCounts {
            if (total < 0 || free < 0 || free > total) {
                throw new IllegalArgumentException("invalid pod counts: total " + total + ", free " + free);
            }
        }
    }

    public static CatalogFigures of(Collection<PodCounts> pods) {
        int total = 0;
        int available = 0;
        int largest = 0;
        for (PodCounts pod : pods) {
            total += pod.total();
            available += pod.free();
            largest = Math.max(largest, pod.free());
        }
        return new CatalogFigures(total, available, largest);
    }
}
