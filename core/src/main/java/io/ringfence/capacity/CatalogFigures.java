package io.ringfence.capacity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The unit catalog's numbers for one capacity pool (one region's offering of one unit type: region,
 * accelerator and unit), from per-pod counts. The catalog and the capacity gauges both show these.
 *
 * @param totalCount every unit of the offering
 * @param availableUnitCount units free for a new claim: unclaimed, healthy and not draining
 * @param largestContiguousUnitCount the most available units in any single pod: the largest reservation that
 *     would be accepted right now ("contiguous" as in one pod; the units need not be adjacent)
 * @param claimedUnitCount units some reservation holds
 * @param unhealthyUnitCount units with at least one failed host
 * @param drainingUnitCount units an operator drains
 */
public record CatalogFigures(int totalCount, int availableUnitCount, int largestContiguousUnitCount,
                             int claimedUnitCount, int unhealthyUnitCount, int drainingUnitCount) {

    /** The figures of a pool without pods: all zero. */
    public static final CatalogFigures EMPTY = new CatalogFigures(0, 0, 0, 0, 0, 0);

    public CatalogFigures {
        if (totalCount < 0 || availableUnitCount < 0 || largestContiguousUnitCount < 0 || claimedUnitCount < 0
                || unhealthyUnitCount < 0 || drainingUnitCount < 0) {
            throw new IllegalArgumentException("catalog figures are never negative");
        }
    }

    /**
     * Units of one pod by state. Claimed, unhealthy and draining may overlap; free units are in none of them.
     *
     * @param total every unit of the pod
     * @param free units unclaimed, healthy and not draining
     * @param claimed units some reservation holds
     * @param unhealthy units with at least one failed host
     * @param draining units an operator drains
     */
    public record PodCounts(int total, int free, int claimed, int unhealthy, int draining) {
        public PodCounts {
            if (total < 0 || free < 0 || claimed < 0 || unhealthy < 0 || draining < 0
                    || (long) free + Math.max(claimed, Math.max(unhealthy, draining)) > total) {
                throw new IllegalArgumentException("invalid pod counts: total " + total + ", free " + free
                        + ", claimed " + claimed + ", unhealthy " + unhealthy + ", draining " + draining);
            }
        }
    }

    /** The figures of one pool from the counts of its pods. */
    public static CatalogFigures of(Collection<PodCounts> pods) {
        long total = 0;
        long available = 0;
        int largest = 0;
        long claimed = 0;
        long unhealthy = 0;
        long draining = 0;
        for (PodCounts pod : pods) {
            total += pod.total();
            available += pod.free();
            largest = Math.max(largest, pod.free());
            claimed += pod.claimed();
            unhealthy += pod.unhealthy();
            draining += pod.draining();
        }
        return new CatalogFigures(Math.toIntExact(total), Math.toIntExact(available), largest,
                Math.toIntExact(claimed), Math.toIntExact(unhealthy), Math.toIntExact(draining));
    }

    /**
     * The figures of every pool that has pods, from a list of pods of any pools: {@code poolOf} names a pod's
     * pool (for example its unit type ID), {@code countsOf} gives its counts. Pools come in the order their
     * first pod does; a pool without pods has no entry (its figures are {@link #EMPTY}).
     */
    public static <T, K> Map<K, CatalogFigures> perPool(Collection<T> pods, Function<? super T, ? extends K> poolOf,
                                                        Function<? super T, PodCounts> countsOf) {
        Map<K, List<PodCounts>> byPool = new LinkedHashMap<>();
        for (T pod : pods) {
            K pool = Objects.requireNonNull(poolOf.apply(pod), "pool");
            byPool.computeIfAbsent(pool, k -> new ArrayList<>()).add(Objects.requireNonNull(countsOf.apply(pod)));
        }
        Map<K, CatalogFigures> figures = new LinkedHashMap<>();
        byPool.forEach((pool, counts) -> figures.put(pool, of(counts)));
        return figures;
    }
}
