package io.ringfence.calendar;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Chooses the units of a reservation over a window of time, from a {@link Calendar}. Pure.
 *
 * <p>TODO rules and time score documented once the research settles.
 */
public final class CalendarAllocator {

    /** How the allocator weighs time. */
    public enum Fit {
        /** Best fit in space, and among equally good choices in space the one that fragments the calendar least. */
        TIME_AWARE,
        /** Best fit in space on the units free over the window, blind to the bookings around the window. */
        SPACE_ONLY
    }

    /** Stands for "no booking on that side" in a gap; also caps gaps, so that sums of scores cannot overflow. */
    static final long NO_NEIGHBOUR = 1L << 40;

    // research knobs (temporary)
    static final int POD_ORDER = Integer.getInteger("cal.pod", 1);
    static final int WITHIN = Integer.getInteger("cal.within", 1);
    static final int SCORE = Integer.getInteger("cal.score", 1);

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
        int[] freeCount = new int[pods];
        int largest = 0;
        for (int p = 0; p < pods; p++) {
            int free = 0;
            for (int u = c.podFirst[p]; u < c.podFirst[p + 1]; u++) {
                int i = c.firstEndingAfter(u, start);
                if (i == c.bookingFirst[u + 1] || c.starts[i] >= end) {
                    free++;
                }
            }
            freeCount[p] = free;
            largest = Math.max(largest, free);
        }
        if (largest < count) {
            long duration = end == Calendar.FOREVER ? Calendar.FOREVER : end - start;
            List<Offering> earliest = offerings(c, count, duration, start, horizonEnd, 1);
            return new CalendarDecision.Insufficient(count, largest,
                    earliest.isEmpty() ? OptionalLong.empty() : OptionalLong.of(earliest.get(0).start()));
        }
        Pick best = null;
        int bestFree = Integer.MAX_VALUE;
        for (int p = 0; p < pods; p++) {
            int free = freeCount[p];
            if (free < count) {
                continue;
            }
            if (fit == Fit.SPACE_ONLY || POD_ORDER == 1) {
                // the space criterion decides first; only pods that tie on it are scored
                if (free > bestFree) {
                    continue;
                }
            }
            Pick pick = pick(c, p, count, start, end, fit);
            if (best == null || better(pick, best, fit)) {
                best = pick;
                bestFree = free;
            }
        }
        List<String> unitIds = new ArrayList<>(count);
        for (int u : best.units) {
            unitIds.add(c.unitIds[u]);
        }
        return new CalendarDecision.Granted(c.podIds[best.pod], unitIds);
    }

    private static boolean better(Pick a, Pick b, Fit fit) {
        if (fit == Fit.TIME_AWARE && POD_ORDER == 2) {
            if (a.time != b.time) {
                return a.time < b.time;
            }
        }
        if (a.free != b.free) {
            return a.free < b.free;
        }
        if (fit == Fit.TIME_AWARE && POD_ORDER == 1) {
            if (a.time != b.time) {
                return a.time < b.time;
            }
        }
        if (a.hasRun != b.hasRun) {
            return a.hasRun;
        }
        return a.pod < b.pod;
    }

    /** The choice inside one pod. */
    private record Pick(int pod, int free, boolean hasRun, long time, int[] units) {
    }

    private static Pick pick(Calendar c, int p, int count, long start, long end, Fit fit) {
        int first = c.podFirst[p];
        int last = c.podFirst[p + 1];
        int[] free = new int[last - first];
        long[] score = new long[last - first];
        int n = 0;
        for (int u = first; u < last; u++) {
            int i = c.firstEndingAfter(u, start);
            int after = c.bookingFirst[u + 1];
            if (i == after || c.starts[i] >= end) {
                free[n] = u;
                score[n] = fit == Fit.TIME_AWARE ? unitScore(c, u, i, start, end) : 0;
                n++;
            }
        }
        int[] pos = new int[n];
        for (int k = 0; k < n; k++) {
            pos[k] = c.positions[free[k]];
        }
        // length of the run of adjacent positions each free unit lies in
        int[] runLength = new int[n];
        boolean hasRun = false;
        int runStart = 0;
        for (int k = 1; k <= n; k++) {
            if (k == n || pos[k] != pos[k - 1] + 1) {
                for (int j = runStart; j < k; j++) {
                    runLength[j] = k - runStart;
                }
                hasRun |= k - runStart >= count;
                runStart = k;
            }
        }
        long[] windowSum = new long[n - count + 1];
        long sum = 0;
        for (int k = 0; k < n; k++) {
            sum += score[k];
            if (k >= count) {
                sum -= score[k - count];
            }
            if (k >= count - 1) {
                windowSum[k - count + 1] = sum;
            }
        }
        int[] chosen = new int[count];
        long time;
        if (WITHIN == 1 || fit == Fit.SPACE_ONLY) {
            int best = bestWindow(pos, runLength, windowSum, count, -1, true);
            System.arraycopy(free, best, chosen, 0, count);
            time = windowSum[best];
        } else {
            long[] sorted = Arrays.copyOf(score, n);
            Arrays.sort(sorted);
            long min = 0;
            for (int k = 0; k < count; k++) {
                min += sorted[k];
            }
            int best = bestWindow(pos, runLength, windowSum, count, min, false);
            if (best >= 0) {
                System.arraycopy(free, best, chosen, 0, count);
            } else {
                // the k lowest scores, ties to the lower position; handed out in position order
                Integer[] order = new Integer[n];
                for (int k = 0; k < n; k++) {
                    order[k] = k;
                }
                Arrays.sort(order, (x, y) -> score[x] != score[y] ? Long.compare(score[x], score[y])
                        : Integer.compare(x, y));
                int[] idx = new int[count];
                for (int k = 0; k < count; k++) {
                    idx[k] = order[k];
                }
                Arrays.sort(idx);
                for (int k = 0; k < count; k++) {
                    chosen[k] = free[idx[k]];
                }
            }
            time = min;
        }
        return new Pick(p, n, hasRun, time, chosen);
    }

    /**
     * The first index of the best window of {@code count} consecutive free units: a window that is a run of
     * adjacent positions before one that is not; then (when {@code timeFirst}) the lower time score; then the
     * shorter run it lies in (for a run) or the narrower span; then the leftmost. With {@code requiredSum >= 0}
     * only windows of that score count; -1 if there is none.
     */
    private static int bestWindow(int[] pos, int[] runLength, long[] windowSum, int count, long requiredSum,
                                  boolean timeFirst) {
        int best = -1;
        boolean bestInRun = false;
        long bestSum = 0;
        int bestWidth = 0;
        for (int i = 0; i < windowSum.length; i++) {
            if (requiredSum >= 0 && windowSum[i] != requiredSum) {
                continue;
            }
            int span = pos[i + count - 1] - pos[i];
            boolean inRun = span == count - 1;
            int width = inRun ? runLength[i] : span;
            long sum = timeFirst ? windowSum[i] : 0;
            boolean better;
            if (best < 0) {
                better = true;
            } else if (inRun != bestInRun) {
                better = inRun;
            } else if (sum != bestSum) {
                better = sum < bestSum;
            } else {
                better = width < bestWidth;
            }
            if (better) {
                best = i;
                bestInRun = inRun;
                bestSum = sum;
                bestWidth = width;
            }
        }
        return best;
    }

    /** The time score of one free unit: how much of the calendar a booking over [start, end) on it wastes. */
    static long unitScore(Calendar c, int u, int next, long start, long end) {
        long before = next > c.bookingFirst[u] ? start - c.ends[next - 1] : NO_NEIGHBOUR;
        long after = next < c.bookingFirst[u + 1] ? c.starts[next] - end : NO_NEIGHBOUR;
        long cap = NO_NEIGHBOUR;
        if (SCORE == 1 && end != Calendar.FOREVER) {
            cap = Math.min(end - start, NO_NEIGHBOUR);
        }
        if (SCORE == 3) {
            long d = end == Calendar.FOREVER ? NO_NEIGHBOUR : Math.min(end - start, NO_NEIGHBOUR);
            return (before < d ? before : 0) + (after < d ? after : 0);
        }
        return Math.min(before, cap) + Math.min(after, cap);
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
