package io.ringfence.capacity;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The free units of one capacity pool, kept between requests so that a decision need not rebuild a
 * {@link CapacitySnapshot}. {@link #allocate} decides exactly as {@link Allocator#allocate} does on a snapshot of
 * the same free set, but reaches the best-fitting pod through pods bucketed by free count instead of visiting every
 * unit: its cost grows with the pods of one bucket and the units of the chosen pod, not with the pool.
 *
 * <p>Mutable, and not thread-safe: the owner confines it (the service reads and changes a pool's index only under
 * that pool's lock, or after its transaction, once no one can read the old entry any more). A persistent structure
 * would make every removal allocate, on the hot path, to protect readers that the pool lock already excludes.
 */
public final class FreeUnitIndex {

    private final Map<String, FreeUnit> units;
    private final Map<String, Pod> pods;
    /** Pods with at least one free unit, by free count, then by pod ID (the allocator's tie order). */
    private final TreeMap<Integer, TreeMap<String, Pod>> byFreeCount;

    private FreeUnitIndex(Map<String, FreeUnit> units, Map<String, Pod> pods,
                          TreeMap<Integer, TreeMap<String, Pod>> byFreeCount) {
        this.units = units;
        this.pods = pods;
        this.byFreeCount = byFreeCount;
    }

    public static FreeUnitIndex of(Collection<FreeUnit> freeUnits) {
        FreeUnitIndex index = new FreeUnitIndex(new HashMap<>(), new HashMap<>(), new TreeMap<>());
        index.add(freeUnits);
        return index;
    }

    /** What {@code Allocator.allocate(CapacitySnapshot.of(freeUnits()), count)} decides; changes nothing. */
    public Allocation allocate(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1: " + count);
        }
        Map.Entry<Integer, TreeMap<String, Pod>> bucket = byFreeCount.ceilingEntry(count);
        if (bucket == null) {
            return new Allocation.Insufficient(count, byFreeCount.isEmpty() ? 0 : byFreeCount.lastKey());
        }
        // whether a pod has a long enough run depends on the count asked, so it cannot be part of the order
        Pod best = null;
        for (Pod pod : bucket.getValue().values()) {
            if (pod.longestRun >= count) {
                best = pod;
                break;
            }
        }
        if (best == null) {
            best = bucket.getValue().firstEntry().getValue();
        }
        return new Allocation.Granted(best.id, best.pick(count));
    }

    /**
     * Decides several requests in order, each as {@link #allocate} would after the grants before it were taken out,
     * and changes nothing: the grants are put back before it returns, also when it fails. A group of creates of one
     * pool admitted in one transaction is decided this way, so the index stays what the database holds until the
     * transaction's commit shows the grants to be real.
     */
    public List<Allocation> allocateEach(List<Integer> counts) {
        List<Allocation> decided = new ArrayList<>(counts.size());
        List<FreeUnit> taken = new ArrayList<>();
        try {
            for (int count : counts) {
                Allocation allocation = allocate(count);
                decided.add(allocation);
                if (allocation instanceof Allocation.Granted granted) {
                    for (String unitId : granted.unitIds()) {
                        taken.add(units.get(unitId));
                    }
                    remove(granted.unitIds());
                }
            }
        } finally {
            add(taken);
        }
        return decided;
    }

    /** Takes units out of the free set; IDs not in it are ignored. */
    public void remove(Collection<String> unitIds) {
        Map<String, Pod> touched = new HashMap<>();
        try {
            removeAll(unitIds, touched);
        } finally {
            relink(touched);
        }
    }

    private void removeAll(Collection<String> unitIds, Map<String, Pod> touched) {
        for (String unitId : unitIds) {
            FreeUnit unit = units.remove(unitId);
            if (unit != null) {
                Pod pod = pods.get(unit.podId());
                unlink(pod, touched);
                pod.free.clear(unit.position());
                pod.unitAt.remove(unit.position());
            }
        }
    }

    /**
     * Puts units into the free set. A unit already in it is moved to its new pod and position. Positions are unique
     * within a pod (as the fleet's inventory makes them), so a position held by another unit is refused.
     */
    public void add(Collection<FreeUnit> freeUnits) {
        Map<String, Pod> touched = new HashMap<>();
        try {
            addAll(freeUnits, touched);
        } finally {
            // a refused unit leaves the ones before it added and the counts right
            relink(touched);
        }
    }

    private void addAll(Collection<FreeUnit> freeUnits, Map<String, Pod> touched) {
        for (FreeUnit unit : freeUnits) {
            FreeUnit previous = units.get(unit.unitId());
            if (unit.equals(previous)) {
                continue;
            }
            if (previous != null) {
                removeAll(List.of(previous.unitId()), touched);
            }
            Pod pod = pods.computeIfAbsent(unit.podId(), Pod::new);
            String holder = pod.unitAt.get(unit.position());
            if (holder != null) {
                throw new IllegalArgumentException("position " + unit.position() + " of pod " + unit.podId()
                        + " is held by " + holder + ", not " + unit.unitId());
            }
            unlink(pod, touched);
            pod.free.set(unit.position());
            pod.unitAt.put(unit.position(), unit.unitId());
            units.put(unit.unitId(), unit);
        }
    }

    /** An independent index over the same free set. */
    public FreeUnitIndex copy() {
        Map<String, Pod> podsCopy = new HashMap<>(pods.size() * 2);
        TreeMap<Integer, TreeMap<String, Pod>> byFreeCopy = new TreeMap<>();
        for (Pod pod : pods.values()) {
            Pod copy = pod.copy();
            podsCopy.put(copy.id, copy);
            if (copy.freeCount > 0) {
                byFreeCopy.computeIfAbsent(copy.freeCount, k -> new TreeMap<>()).put(copy.id, copy);
            }
        }
        return new FreeUnitIndex(new HashMap<>(units), podsCopy, byFreeCopy);
    }

    public boolean contains(String unitId) {
        return units.containsKey(unitId);
    }

    public int freeUnitCount() {
        return units.size();
    }

    /** The free set, in no particular order. */
    public List<FreeUnit> freeUnits() {
        return new ArrayList<>(units.values());
    }

    private void unlink(Pod pod, Map<String, Pod> touched) {
        if (touched.putIfAbsent(pod.id, pod) == null && pod.freeCount > 0) {
            TreeMap<String, Pod> bucket = byFreeCount.get(pod.freeCount);
            bucket.remove(pod.id);
            if (bucket.isEmpty()) {
                byFreeCount.remove(pod.freeCount);
            }
        }
    }

    private void relink(Map<String, Pod> touched) {
        for (Pod pod : touched.values()) {
            pod.recount();
            if (pod.freeCount > 0) {
                byFreeCount.computeIfAbsent(pod.freeCount, k -> new TreeMap<>()).put(pod.id, pod);
            } else {
                pods.remove(pod.id);
            }
        }
    }

    /** One pod's free positions; its counts are refreshed after each change, at the cost of one pass over it. */
    private static final class Pod {
        final String id;
        final BitSet free;
        final Map<Integer, String> unitAt;
        int freeCount;
        int longestRun;

        Pod(String id) {
            this(id, new BitSet(), new HashMap<>());
        }

        private Pod(String id, BitSet free, Map<Integer, String> unitAt) {
            this.id = id;
            this.free = free;
            this.unitAt = unitAt;
        }

        Pod copy() {
            Pod copy = new Pod(id, (BitSet) free.clone(), new HashMap<>(unitAt));
            copy.freeCount = freeCount;
            copy.longestRun = longestRun;
            return copy;
        }

        void recount() {
            freeCount = free.cardinality();
            int longest = 0;
            for (int start = free.nextSetBit(0); start >= 0; ) {
                int end = free.nextClearBit(start);
                longest = Math.max(longest, end - start);
                start = end == Integer.MAX_VALUE ? -1 : free.nextSetBit(end);
            }
            longestRun = longest;
        }

        /** The allocator's choice inside a pod: the shortest long-enough run, else the narrowest window. */
        List<String> pick(int count) {
            int first = -1;
            if (longestRun >= count) {
                int bestLength = Integer.MAX_VALUE;
                for (int start = free.nextSetBit(0); start >= 0; ) {
                    int end = free.nextClearBit(start);
                    int length = end - start;
                    if (length >= count && length < bestLength) {
                        bestLength = length;
                        first = start;
                    }
                    start = end == Integer.MAX_VALUE ? -1 : free.nextSetBit(end);
                }
            }
            List<String> picked = new ArrayList<>(count);
            if (first >= 0) {
                for (int p = first; p < first + count; p++) {
                    picked.add(unitAt.get(p));
                }
                return picked;
            }
            int[] positions = new int[freeCount];
            int n = 0;
            for (int p = free.nextSetBit(0); p >= 0; p = p == Integer.MAX_VALUE ? -1 : free.nextSetBit(p + 1)) {
                positions[n++] = p;
            }
            int bestStart = 0;
            int bestSpan = Integer.MAX_VALUE;
            for (int i = 0; i + count <= n; i++) {
                int span = positions[i + count - 1] - positions[i];
                if (span < bestSpan) {
                    bestSpan = span;
                    bestStart = i;
                }
            }
            for (int i = bestStart; i < bestStart + count; i++) {
                picked.add(unitAt.get(positions[i]));
            }
            return picked;
        }
    }
}
