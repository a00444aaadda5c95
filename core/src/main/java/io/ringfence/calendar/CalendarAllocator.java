package io.ringfence.calendar;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Chooses the units of a reservation over a window of time [start, end), from a {@link Calendar}. Pure: plain
 * values in, plain values out.
 *
 * <p>The rules:
 * <ol>
 *   <li>All units lie in one pod, each free over the whole window (no booking on it overlaps the window); there
 *       are no partial grants.</li>
 *   <li>Inside a pod, the units are {@code count} consecutive ones (in position order) among those free over the
 *       window: a run of adjacent positions before anything else; then the lowest <em>waste</em> (below); then the
 *       shortest sufficient run (or, when no run is long enough, the narrowest span); then the leftmost. Without
 *       bookings this is exactly {@link io.ringfence.capacity.Allocator}'s choice.</li>
 *   <li>Across pods, {@link Fit#TIME_AWARE} takes the pod of least cost
 *       {@code 0.3 d x (units of the pod free over the window) + waste of the units it would take} ({@code d} the
 *       request's duration), then
 *       a pod that can serve the request from one run of adjacent positions, then the lowest pod ID.
 *       {@link Fit#SPACE_ONLY} takes the pod with the fewest units free over the window (best fit in space, as
 *       the {@code Allocator}), with the same ties.</li>
 * </ol>
 *
 * <p><b>Waste</b> (the time score) of one unit, in seconds: on each side
 * of the window, the gap to the neighbouring booking (before: window start minus the end of the booking before;
 * after: the start of the booking after minus the window end), capped at {@code d}; no booking on that side counts
 * as the cap. So a unit whose booking ends just as the window starts, or begins just as it ends, wastes nothing on
 * that side, and one that is untouched around the window wastes the most: tight fits leave no slivers of free time
 * too short for the next request, and untouched units stay whole for long ones. A gap longer than {@code d} is no
 * worse than none, since a request like this one could still use it. For an open-ended request {@code d} is
 * {@link #NO_NEIGHBOUR}: any earlier booking beats none, the gap after is always absent.
 *
 * <p>Why a weighted sum rather than best fit in space first: in the churn simulation with advance bookings
 * (BENCHMARKS.md, "Calendar allocator") space first (and time only to break ties) accepts little more than the
 * time-blind best fit, and below first-fit; time first (count only to break ties) is worse than both. One unit
 * free over the window counting as 0.3 of a duration's gap on one side was the best weight tried (0.2 to 0.5 are
 * within noise of it). Without bookings every unit has the same waste, so the choice is the best fit in space.
 */
public final class CalendarAllocator {

    /** How the allocator weighs time. */
    public enum Fit {
        /** Space and time: the least {@code 0.3 d x free units + waste}, see the class comment. */
        TIME_AWARE,
        /** Best fit in space on the units free over the window, blind to the bookings around the window. */
        SPACE_ONLY
    }

    /** Stands for "no booking on that side" in a gap; also caps gaps, so that sums of scores cannot overflow. */
    static final long NO_NEIGHBOUR = 1L << 40;

    /**
     * What one more unit free over the window in a pod weighs against waste, in tenths of the request's duration:
     * 0.3 of a duration's gap on one side of one unit.
     */
    static final long FREE_UNIT_TENTHS = 3;

    private CalendarAllocator() {
    }

    /** {@link #decide(Calendar, int, long, long, long, Fit)} with {@link Fit#TIME_AWARE}. */
    public static CalendarDecision decide(Calendar calendar, int count, long start, long end, long horizonEnd) {
        return decide(calendar, count, start, end, horizonEnd, Fit.TIME_AWARE);
    }

    /**
     * The units for {@code count} units over [start, end) ({@code end == Calendar.FOREVER}: open-ended), or why
     * there are none; then {@code earliestStart} is looked for up to {@code horizonEnd}.
     */
    public static CalendarDecision decide(Calendar calendar, int count, long start, long end, long horizonEnd,
                                          Fit fit) {
        Objects.requireNonNull(calendar, "calendar");
        Objects.requireNonNull(fit, "fit");
        checkRequest(count, start, end);
        Calendar c = calendar;
        int pods = c.podIds.length;
        boolean timeAware = fit == Fit.TIME_AWARE;
        long scale = end == Calendar.FOREVER ? NO_NEIGHBOUR : Math.min(end - start, NO_NEIGHBOUR);
        // one pass over every unit: the free ones (over the window) of each pod, compacted, with their waste
        Scratch scratch = new Scratch(c.unitIds.length);
        int[] freeCount = new int[pods];
        int[] freeFirst = new int[pods];
        int largest = 0;
        int m = 0;
        for (int p = 0; p < pods; p++) {
            freeFirst[p] = m;
            for (int u = c.podFirst[p]; u < c.podFirst[p + 1]; u++) {
                int i = c.firstEndingAfter(u, start);
                if (i == c.bookingFirst[u + 1] || c.starts[i] >= end) {
                    scratch.free[m] = u;
                    scratch.pos[m] = c.positions[u];
                    scratch.waste[m] = timeAware ? waste(c, u, i, start, end, scale) : 0;
                    m++;
                }
            }
            freeCount[p] = m - freeFirst[p];
            largest = Math.max(largest, freeCount[p]);
        }
        if (largest < count) {
            long duration = end == Calendar.FOREVER ? Calendar.FOREVER : end - start;
            List<Offering> earliest = offerings(c, count, duration, start, horizonEnd, 1);
            return new CalendarDecision.Insufficient(count, largest,
                    earliest.isEmpty() ? OptionalLong.empty() : OptionalLong.of(earliest.get(0).start()));
        }
        // costs are in tenths of seconds, so that a free unit's FREE_UNIT_TENTHS tenths of the duration are exact;
        // far from overflow for any real pool (scale <= 2^40, pods and counts << 2^14), and exact arithmetic
        // would fail loudly rather than choose wrongly
        long freeUnitCost = timeAware ? Math.multiplyExact(scale, FREE_UNIT_TENTHS) : 1;
        long wasteWeight = timeAware ? 10 : 0;
        int bestPod = -1;
        long bestCost = Long.MAX_VALUE;
        boolean bestHasRun = false;
        // Pods in order of their free units: waste is never negative, so once the free units alone cost more
        // than the best pod so far, no later pod can win (space only: just the pods with the fewest are scored).
        for (int p : podsByFreeCount(freeCount, count, largest)) {
            long floor = Math.multiplyExact(freeCount[p], freeUnitCost);
            if (floor > bestCost) {
                break;
            }
            int first = pick(freeFirst[p], freeCount[p], count, scratch);
            long cost = Math.addExact(floor, Math.multiplyExact(wasteWeight, scratch.windowSum[first]));
            boolean better = bestPod < 0 || cost < bestCost
                    || (cost == bestCost && (scratch.hasRun != bestHasRun ? scratch.hasRun : p < bestPod));
            if (better) {
                bestPod = p;
                bestCost = cost;
                bestHasRun = scratch.hasRun;
            }
        }
        int first = pick(freeFirst[bestPod], freeCount[bestPod], count, scratch);
        List<String> unitIds = new ArrayList<>(count);
        for (int k = first; k < first + count; k++) {
            unitIds.add(c.unitIds[scratch.free[k]]);
        }
        return new CalendarDecision.Granted(c.podIds[bestPod], unitIds);
    }

    /** The pods with at least {@code count} free units, fewest free units first, then in ID order. */
    private static int[] podsByFreeCount(int[] freeCount, int count, int largest) {
        int[] slots = new int[largest - count + 2];
        for (int free : freeCount) {
            if (free >= count) {
                slots[free - count + 1]++;
            }
        }
        for (int i = 1; i < slots.length; i++) {
            slots[i] += slots[i - 1];
        }
        int[] order = new int[slots[slots.length - 1]];
        for (int p = 0; p < freeCount.length; p++) {
            if (freeCount[p] >= count) {
                order[slots[freeCount[p] - count]++] = p;
            }
        }
        return order;
    }

    /** Per-decision work arrays over every unit: the free units of each pod lie together, in position order. */
    private static final class Scratch {
        final int[] free;
        final long[] waste;
        final int[] pos;
        final int[] runLength;
        final long[] windowSum;
        /** Of the last pod picked: whether it has a run of adjacent free positions long enough. */
        boolean hasRun;

        Scratch(int size) {
            free = new int[size];
            waste = new long[size];
            pos = new int[size];
            runLength = new int[size];
            windowSum = new long[size];
        }
    }

    /**
     * Picks among the {@code n} free units of one pod, at {@code a} in the scratch arrays: returns the index (into
     * {@code s.free}) of the first of the {@code count} units taken; {@code s.windowSum} at that index is their
     * waste.
     */
    private static int pick(int a, int n, int count, Scratch s) {
        boolean hasRun = false;
        int runStart = a;
        int end = a + n;
        for (int k = a + 1; k <= end; k++) {
            if (k == end || s.pos[k] != s.pos[k - 1] + 1) {
                for (int j = runStart; j < k; j++) {
                    s.runLength[j] = k - runStart;
                }
                hasRun |= k - runStart >= count;
                runStart = k;
            }
        }
        long sum = 0;
        for (int k = a; k < end; k++) {
            sum += s.waste[k];
            if (k >= a + count) {
                sum -= s.waste[k - count];
            }
            if (k >= a + count - 1) {
                s.windowSum[k - count + 1] = sum;
            }
        }
        int best = -1;
        boolean bestInRun = false;
        int bestWidth = 0;
        for (int i = a; i + count <= end; i++) {
            int span = s.pos[i + count - 1] - s.pos[i];
            boolean inRun = span == count - 1;
            int width = inRun ? s.runLength[i] : span;
            boolean better;
            if (best < 0) {
                better = true;
            } else if (inRun != bestInRun) {
                better = inRun;
            } else if (s.windowSum[i] != s.windowSum[best]) {
                better = s.windowSum[i] < s.windowSum[best];
            } else {
                better = width < bestWidth;
            }
            if (better) {
                best = i;
                bestInRun = inRun;
                bestWidth = width;
            }
        }
        s.hasRun = hasRun;
        return best;
    }

    /** {@code to - from} for {@code from <= to}, or {@link #NO_NEIGHBOUR} should it overflow. */
    private static long gap(long from, long to) {
        long gap = to - from;
        return gap < 0 ? NO_NEIGHBOUR : gap;
    }

    static long waste(Calendar c, int u, int next, long start, long end, long scale) {
        long before = next > c.bookingFirst[u] ? gap(c.ends[next - 1], start) : NO_NEIGHBOUR;
        long after = next < c.bookingFirst[u + 1] ? gap(end, c.starts[next]) : NO_NEIGHBOUR;
        return Math.min(before, scale) + Math.min(after, scale);
    }

    /**
     * Windows in which {@code count} units fit for {@code duration} seconds ({@code Calendar.FOREVER}:
     * open-ended), earliest first, at most {@code limit}, with distinct starts, none after {@code horizonEnd}.
     * A fit can only begin at {@code earliestStart} or where a booking ends, so those are the candidates; the
     * first offering is the earliest instant at or after {@code earliestStart} at which the request fits.
     */
    public static List<Offering> offerings(Calendar calendar, int count, long duration, long earliestStart,
                                           long horizonEnd, int limit) {
        Objects.requireNonNull(calendar, "calendar");
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1: " + count);
        }
        if (duration < 1) {
            throw new IllegalArgumentException("duration must be >= 1: " + duration);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0: " + limit);
        }
        Calendar c = calendar;
        if (limit == 0 || earliestStart > horizonEnd) {
            return List.of();
        }
        long[] feasible = feasibleStarts(c, count, duration, earliestStart, horizonEnd);
        List<Offering> offerings = new ArrayList<>();
        int interval = 0;
        int b = lowerBound(c.boundaries, earliestStart + 1);
        long candidate = earliestStart;
        while (offerings.size() < limit) {
            while (interval < feasible.length / 2 && feasible[2 * interval + 1] < candidate) {
                interval++;
            }
            if (interval == feasible.length / 2) {
                break;
            }
            if (feasible[2 * interval] <= candidate) {
                long end = endOf(candidate, duration);
                CalendarDecision decision = decide(c, count, candidate, end, horizonEnd);
                offerings.add(new Offering(((CalendarDecision.Granted) decision).podId(), candidate, end));
            }
            if (b == c.boundaries.length || c.boundaries[b] > horizonEnd) {
                break;
            }
            candidate = c.boundaries[b++];
        }
        return List.copyOf(offerings);
    }

    private static long endOf(long start, long duration) {
        if (duration == Calendar.FOREVER || start > Calendar.FOREVER - duration) {
            return Calendar.FOREVER;
        }
        return start + duration;
    }

    private static int lowerBound(long[] sorted, long key) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * The starts in [from, to] at which some pod has {@code count} units free for {@code duration}, as closed
     * intervals: pairs (first, last), ascending and disjoint.
     */
    private static long[] feasibleStarts(Calendar c, int count, long duration, long from, long to) {
        List<long[]> all = new ArrayList<>();
        for (int p = 0; p < c.podIds.length; p++) {
            if (c.podFirst[p + 1] - c.podFirst[p] < count) {
                continue;
            }
            // A unit can start the request anywhere in a gap between bookings that leaves room for the
            // duration: [end of one booking, start of the next - duration]. Counting these closed intervals
            // with +1/-1 events gives how many units of the pod could start at each instant.
            int first = c.bookingFirst[c.podFirst[p]];
            int last = c.bookingFirst[c.podFirst[p + 1]];
            long[] at = new long[2 * (last - first + c.podFirst[p + 1] - c.podFirst[p])];
            int[] delta = new int[at.length];
            int n = 0;
            for (int u = c.podFirst[p]; u < c.podFirst[p + 1]; u++) {
                long gapStart = Long.MIN_VALUE;
                int lastBooking = c.bookingFirst[u + 1];
                for (int b = c.bookingFirst[u]; b <= lastBooking; b++) {
                    long lo = Math.max(gapStart, from);
                    long hi;
                    if (b == lastBooking) {
                        hi = to;
                    } else if (duration == Calendar.FOREVER || c.starts[b] < Long.MIN_VALUE + duration) {
                        hi = Long.MIN_VALUE; // only the gap after the last booking takes an open-ended request
                    } else {
                        hi = Math.min(c.starts[b] - duration, to);
                    }
                    if (lo <= hi) {
                        at[n] = lo;
                        delta[n++] = 1;
                        if (hi != Long.MAX_VALUE) {
                            at[n] = hi + 1;
                            delta[n++] = -1;
                        }
                    }
                    if (b < lastBooking) {
                        gapStart = c.ends[b];
                        if (gapStart == Calendar.FOREVER) {
                            break;
                        }
                    }
                }
            }
            sortEvents(at, delta, n);
            int open = 0;
            long intervalStart = 0;
            int i = 0;
            while (i < n) {
                long instant = at[i];
                int before = open;
                while (i < n && at[i] == instant) {
                    open += delta[i++];
                }
                if (before < count && open >= count) {
                    intervalStart = instant;
                } else if (before >= count && open < count) {
                    all.add(new long[] {intervalStart, instant - 1});
                }
            }
            if (open >= count) {
                all.add(new long[] {intervalStart, Long.MAX_VALUE});
            }
        }
        all.sort((x, y) -> Long.compare(x[0], y[0]));
        long[] merged = new long[2 * all.size()];
        int m = 0;
        for (long[] interval : all) {
            if (m > 0 && interval[0] <= merged[2 * m - 1]) {
                merged[2 * m - 1] = Math.max(merged[2 * m - 1], interval[1]);
            } else {
                merged[2 * m] = interval[0];
                merged[2 * m + 1] = interval[1];
                m++;
            }
        }
        return Arrays.copyOf(merged, 2 * m);
    }

    /** Sorts the first n events by instant (insertion sort for short arrays, else boxed). */
    private static void sortEvents(long[] at, int[] delta, int n) {
        if (n <= 32) {
            for (int i = 1; i < n; i++) {
                long a = at[i];
                int d = delta[i];
                int j = i - 1;
                while (j >= 0 && at[j] > a) {
                    at[j + 1] = at[j];
                    delta[j + 1] = delta[j];
                    j--;
                }
                at[j + 1] = a;
                delta[j + 1] = d;
            }
            return;
        }
        long[][] pairs = new long[n][];
        for (int i = 0; i < n; i++) {
            pairs[i] = new long[] {at[i], delta[i]};
        }
        Arrays.sort(pairs, (x, y) -> Long.compare(x[0], y[0]));
        for (int i = 0; i < n; i++) {
            at[i] = pairs[i][0];
            delta[i] = (int) pairs[i][1];
        }
    }

    /**
     * The latest instant the reservation on {@code unitIds} can be extended to from {@code from}: the earliest
     * instant at or after {@code from} at which any of them is booked ({@code from} itself when one is booked
     * then), or {@link Calendar#FOREVER} when none is booked again. The caller builds the calendar without the
     * reservation's own bookings. A unit not in the calendar is refused: its bookings would be unknown.
     */
    public static long latestEnd(Calendar calendar, Collection<String> unitIds, long from) {
        Objects.requireNonNull(calendar, "calendar");
        long latest = Calendar.FOREVER;
        for (String unitId : unitIds) {
            int u = calendar.unitIndex(unitId);
            int i = calendar.firstEndingAfter(u, from);
            if (i < calendar.bookingFirst[u + 1]) {
                latest = Math.min(latest, Math.max(calendar.starts[i], from));
            }
        }
        return latest;
    }

    private static void checkRequest(int count, long start, long end) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1: " + count);
        }
        if (start >= end) {
            throw new IllegalArgumentException("a request needs start < end: [" + start + ", " + end + ")");
        }
    }
}
