package io.ringfence.capacity;

import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the units of a new reservation. Pure: plain values in, plain values out.
 *
 * <p>The rules:
 * <ol>
 *   <li>All units of a reservation lie in one pod; there are no partial grants.</li>
 *   <li>Best fit across pods: the pod with the fewest free units that still has enough wins, so that pods with
 *       many free units stay whole for large requests. Ties go to a pod that can serve the request from one run
 *       of adjacent positions, then to the lowest pod ID, so the result is deterministic.</li>
 *   <li>Inside the pod, a run of adjacent free positions is preferred: the shortest run that is long enough
 *       (best fit again, so long runs survive). When no run is long enough, the window of free units with the
 *       smallest physical span is taken.</li>
 * </ol>
 */
public final class Allocator {

    private Allocator() {
    }

    public static Allocation allocate(CapacitySnapshot snapshot, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1: " + count);
        }
        CapacitySnapshot.PodFreeUnits best = null;
        boolean bestHasRun = false;
        for (CapacitySnapshot.PodFreeUnits pod : snapshot.pods()) {
            int free = pod.units().size();
            if (free < count) {
                continue;
            }
            if (best == null || free < best.units().size()) {
                best = pod;
                bestHasRun = pod.longestRun() >= count;
            } else if (free == best.units().size() && !bestHasRun && pod.longestRun() >= count) {
                best = pod;
                bestHasRun = true;
            }
        }
        if (best == null) {
            return new Allocation.Insufficient(count, snapshot.largestContiguous());
        }
        return new Allocation.Granted(best.podId(), pickWithinPod(best.units(), count));
    }

    private static List<String> pickWithinPod(List<FreeUnit> units, int count) {
        int start = bestRunStart(units, count);
        if (start < 0) {
            start = narrowestWindowStart(units, count);
        }
        List<String> picked = new ArrayList<>(count);
        for (int i = start; i < start + count; i++) {
            picked.add(units.get(i).unitId());
        }
        return picked;
    }

    /** Index of the first unit of the shortest adjacent run of at least {@code count} units, or -1. */
    private static int bestRunStart(List<FreeUnit> units, int count) {
        int bestStart = -1;
        int bestLength = Integer.MAX_VALUE;
        int runStart = 0;
        for (int i = 1; i <= units.size(); i++) {
            boolean runEnds = i == units.size() || units.get(i).position() != units.get(i - 1).position() + 1;
            if (runEnds) {
                int length = i - runStart;
                if (length >= count && length < bestLength) {
                    bestLength = length;
                    bestStart = runStart;
                }
                runStart = i;
            }
        }
        return bestStart;
    }

    /** Index of the first unit of the {@code count} consecutive free units whose positions span the least. */
    private static int narrowestWindowStart(List<FreeUnit> units, int count) {
        int bestStart = 0;
        int bestSpan = Integer.MAX_VALUE;
        for (int i = 0; i + count <= units.size(); i++) {
            int span = units.get(i + count - 1).position() - units.get(i).position();
            if (span < bestSpan) {
                bestSpan = span;
                bestStart = i;
            }
        }
        return bestStart;
    }
}
