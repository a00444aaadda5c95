package io.ringfence.capacity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The free, healthy units of one capacity pool (one region's offering of one unit type), grouped by pod and
 * ordered by position. Immutable; built once per allocation from whatever the caller read.
 */
public final class CapacitySnapshot {

    private final List<PodFreeUnits> pods;

    private CapacitySnapshot(List<PodFreeUnits> pods) {
        this.pods = pods;
    }

    public static CapacitySnapshot of(Collection<FreeUnit> freeUnits) {
        Map<String, List<FreeUnit>> byPod = new TreeMap<>();
        for (FreeUnit unit : freeUnits) {
            byPod.computeIfAbsent(unit.podId(), k -> new ArrayList<>()).add(unit);
        }
        List<PodFreeUnits> pods = new ArrayList<>(byPod.size());
        for (Map.Entry<String, List<FreeUnit>> entry : byPod.entrySet()) {
            List<FreeUnit> units = entry.getValue();
            units.sort(Comparator.comparingInt(FreeUnit::position).thenComparing(FreeUnit::unitId));
            pods.add(new PodFreeUnits(entry.getKey(), List.copyOf(units)));
        }
        return new CapacitySnapshot(List.copyOf(pods));
    }

    /** Pods with at least one free unit, ordered by pod ID. */
    public List<PodFreeUnits> pods() {
        return pods;
    }

    public int freeUnitCount() {
        int total = 0;
        for (PodFreeUnits pod : pods) {
            total += pod.units().size();
        }
        return total;
    }

    /** The largest number of free units in any single pod: the most one reservation can get right now. */
    public int largestContiguous() {
        int largest = 0;
        for (PodFreeUnits pod : pods) {
            largest = Math.max(largest, pod.units().size());
        }
        return largest;
    }

    /** The free units of one pod, sorted by position. */
    public record PodFreeUnits(String podId, List<FreeUnit> units) {
        public PodFreeUnits {
            units = List.copyOf(units);
        }

        /** Length of the longest run of adjacent free positions. */
        public int longestRun() {
            int longest = 0;
            int run = 0;
            int previous = Integer.MIN_VALUE;
            for (FreeUnit unit : units) {
                run = (previous != Integer.MIN_VALUE && unit.position() == previous + 1) ? run + 1 : 1;
                previous = unit.position();
                longest = Math.max(longest, run);
            }
            return longest;
        }
    }
}
