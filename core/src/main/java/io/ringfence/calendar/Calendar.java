package io.ringfence.calendar;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The bookings of the units eligible for a request, indexed so that a decision is a scan of flat arrays: units
 * grouped by pod (pods in ID order, units by position), and per unit its bookings merged into disjoint,
 * start-ordered intervals. Immutable; built once per decision (or reused for several) from what the caller read.
 *
 * <p>Times are epoch seconds; intervals are half-open [start, end); {@link #FOREVER} ends an open-ended booking.
 */
public final class Calendar {

    /** The end of an open-ended booking or request. */
    public static final long FOREVER = Long.MAX_VALUE;

    /** Pod IDs in order; pod p holds units podFirst[p] .. podFirst[p + 1] - 1. */
    final String[] podIds;
    final int[] podFirst;
    /** Per unit (in pod, then position order). */
    final String[] unitIds;
    final int[] positions;
    /** Unit u has bookings bookingFirst[u] .. bookingFirst[u + 1] - 1 in starts/ends: disjoint, in time order. */
    final int[] bookingFirst;
    final long[] starts;
    final long[] ends;
    /** Every distinct end of a booking on a unit of the calendar (before merging), ascending: the instants a fit
     *  can begin at besides the requested start. */
    final long[] boundaries;
    private final Map<String, Integer> unitIndex;
    private final Map<String, Integer> podIndex;

    private Calendar(String[] podIds, int[] podFirst, String[] unitIds, int[] positions, int[] bookingFirst,
                     long[] starts, long[] ends, long[] boundaries, Map<String, Integer> unitIndex,
                     Map<String, Integer> podIndex) {
        this.podIds = podIds;
        this.podFirst = podFirst;
        this.unitIds = unitIds;
        this.positions = positions;
        this.bookingFirst = bookingFirst;
        this.starts = starts;
        this.ends = ends;
        this.boundaries = boundaries;
        this.unitIndex = unitIndex;
        this.podIndex = podIndex;
    }

    /**
     * The calendar of {@code units} with those of {@code bookings} that lie on them (bookings on other units are
     * ignored: the caller may pass every booking of the pool). Overlapping bookings on one unit are allowed and
     * simply merged. A unit ID given twice is refused.
     */
    public static Calendar of(Collection<CalendarUnit> units, Collection<Booking> bookings) {
        Map<String, List<CalendarUnit>> byPod = new TreeMap<>();
        for (CalendarUnit unit : units) {
            byPod.computeIfAbsent(unit.podId(), k -> new ArrayList<>()).add(unit);
        }
        int n = units.size();
        String[] podIds = new String[byPod.size()];
        int[] podFirst = new int[byPod.size() + 1];
        String[] unitIds = new String[n];
        int[] positions = new int[n];
        Map<String, Integer> unitIndex = new HashMap<>(n * 2);
        Map<String, Integer> podIndex = new HashMap<>(byPod.size() * 2);
        int u = 0;
        int p = 0;
        for (Map.Entry<String, List<CalendarUnit>> entry : byPod.entrySet()) {
            List<CalendarUnit> podUnits = entry.getValue();
            podUnits.sort(Comparator.comparingInt(CalendarUnit::position).thenComparing(CalendarUnit::unitId));
            podIds[p] = entry.getKey();
            podIndex.put(entry.getKey(), p);
            podFirst[p] = u;
            for (CalendarUnit unit : podUnits) {
                if (unitIndex.putIfAbsent(unit.unitId(), u) != null) {
                    throw new IllegalArgumentException("unit given twice: " + unit.unitId());
                }
                unitIds[u] = unit.unitId();
                positions[u] = unit.position();
                u++;
            }
            p++;
        }
        podFirst[p] = u;

        // Counting sort of the bookings by unit, then per unit by start; merged in place.
        int[] perUnit = new int[n + 1];
        int[] owner = new int[bookings.size()];
        long[] rawStarts = new long[bookings.size()];
        long[] rawEnds = new long[bookings.size()];
        int kept = 0;
        for (Booking booking : bookings) {
            Integer index = unitIndex.get(booking.unitId());
            if (index == null) {
                continue;
            }
            owner[kept] = index;
            rawStarts[kept] = booking.start();
            rawEnds[kept] = booking.end();
            perUnit[index + 1]++;
            kept++;
        }
        for (int i = 0; i < n; i++) {
            perUnit[i + 1] += perUnit[i];
        }
        long[] sortedStarts = new long[kept];
        long[] sortedEnds = new long[kept];
        int[] fill = Arrays.copyOf(perUnit, n);
        for (int i = 0; i < kept; i++) {
            int slot = fill[owner[i]]++;
            sortedStarts[slot] = rawStarts[i];
            sortedEnds[slot] = rawEnds[i];
        }
        long[] boundaries = Arrays.copyOf(rawEnds, kept);
        Arrays.sort(boundaries);
        boundaries = distinct(boundaries);

        int[] bookingFirst = new int[n + 1];
        long[] starts = new long[kept];
        long[] ends = new long[kept];
        int out = 0;
        for (int unit = 0; unit < n; unit++) {
            bookingFirst[unit] = out;
            int from = perUnit[unit];
            int to = perUnit[unit + 1];
            sortByStart(sortedStarts, sortedEnds, from, to);
            for (int i = from; i < to; i++) {
                if (out > bookingFirst[unit] && sortedStarts[i] <= ends[out - 1]) {
                    ends[out - 1] = Math.max(ends[out - 1], sortedEnds[i]);
                } else {
                    starts[out] = sortedStarts[i];
                    ends[out] = sortedEnds[i];
                    out++;
                }
            }
        }
        bookingFirst[n] = out;
        return new Calendar(podIds, podFirst, unitIds, positions, bookingFirst, Arrays.copyOf(starts, out),
                Arrays.copyOf(ends, out), boundaries, unitIndex, podIndex);
    }

    private static long[] distinct(long[] sorted) {
        int n = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (n == 0 || sorted[i] != sorted[n - 1]) {
                sorted[n++] = sorted[i];
            }
        }
        return Arrays.copyOf(sorted, n);
    }

    /** Insertion sort: a unit has few bookings, and they usually arrive in order already. */
    private static void sortByStart(long[] s, long[] e, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            long ks = s[i];
            long ke = e[i];
            int j = i - 1;
            while (j >= from && (s[j] > ks || (s[j] == ks && e[j] > ke))) {
                s[j + 1] = s[j];
                e[j + 1] = e[j];
                j--;
            }
            s[j + 1] = ks;
            e[j + 1] = ke;
        }
    }

    /** Pod IDs in order. */
    public List<String> podIds() {
        return List.of(podIds);
    }

    /** The units of the calendar, by pod ID, then position. */
    public List<CalendarUnit> units() {
        List<CalendarUnit> units = new ArrayList<>(unitIds.length);
        for (int p = 0; p < podIds.length; p++) {
            for (int u = podFirst[p]; u < podFirst[p + 1]; u++) {
                units.add(new CalendarUnit(unitIds[u], podIds[p], positions[u]));
            }
        }
        return units;
    }

    public int unitCount() {
        return unitIds.length;
    }

    /** Index of the unit's first (merged) booking that ends after {@code t}; bookingFirst[u + 1] if none. */
    int firstEndingAfter(int unit, long t) {
        int lo = bookingFirst[unit];
        int hi = bookingFirst[unit + 1];
        // Requests mostly start soon and bookings lie ahead of now, so the answer is usually among the first few:
        // a short linear probe settles most units before a binary search is needed.
        for (int probe = Math.min(hi, lo + 4); lo < probe; lo++) {
            if (ends[lo] > t) {
                return lo;
            }
        }
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ends[mid] <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Whether no booking of the unit overlaps [start, end). */
    boolean isFree(int unit, long start, long end) {
        int i = firstEndingAfter(unit, start);
        return i == bookingFirst[unit + 1] || starts[i] >= end;
    }

    int unitIndex(String unitId) {
        Integer index = unitIndex.get(unitId);
        if (index == null) {
            throw new IllegalArgumentException("unit not in the calendar: " + unitId);
        }
        return index;
    }

    int podIndex(String podId) {
        Integer index = podIndex.get(podId);
        if (index == null) {
            throw new IllegalArgumentException("pod not in the calendar: " + podId);
        }
        return index;
    }

    /** What an open-ended request starting at some instant could take: units with no booking from then on. */
    public record OpenEndedCapacity(int freeUnitCount, int largestContiguousUnitCount) {
        public OpenEndedCapacity {
            if (freeUnitCount < 0 || largestContiguousUnitCount < 0 || largestContiguousUnitCount > freeUnitCount) {
                throw new IllegalArgumentException("invalid open-ended capacity: " + freeUnitCount + ", "
                        + largestContiguousUnitCount);
            }
        }
    }

    /**
     * The catalog's figures for an open-ended create starting at {@code now}: the units with no booking at any
     * instant at or after {@code now}, in total and in the pod with the most of them. A unit that is free now but
     * booked next week is not counted: an open-ended create could not take it.
     */
    public OpenEndedCapacity openEndedFrom(long now) {
        int total = 0;
        int largest = 0;
        for (int p = 0; p < podIds.length; p++) {
            int free = 0;
            for (int u = podFirst[p]; u < podFirst[p + 1]; u++) {
                if (isFree(u, now, FOREVER)) {
                    free++;
                }
            }
            total += free;
            largest = Math.max(largest, free);
        }
        return new OpenEndedCapacity(total, largest);
    }

    /** From {@code instant} on (until the next step) {@code freeCount} units of the pod are free. */
    public record FreeStep(long instant, int freeCount) {
        public FreeStep {
            if (freeCount < 0) {
                throw new IllegalArgumentException("freeCount must be >= 0: " + freeCount);
            }
        }
    }

    /** {@link #freeOverTime(String, long)} from the beginning of time. */
    public List<FreeStep> freeOverTime(String podId) {
        return freeOverTime(podId, Long.MIN_VALUE);
    }

    /**
     * The number of free units of a pod as a step function from {@code from} on: the first step is at
     * {@code from}, the others at the instants where the count changes, in time order. The count is of units
     * free at an instant, not over a window: for the console's free-over-time view, not for deciding.
     */
    public List<FreeStep> freeOverTime(String podId, long from) {
        int p = podIndex(Objects.requireNonNull(podId, "podId"));
        int units = podFirst[p + 1] - podFirst[p];
        int first = bookingFirst[podFirst[p]];
        int last = bookingFirst[podFirst[p + 1]];
        // Merged bookings of one unit are disjoint, so +1/-1 events count booked units exactly.
        long[] instants = new long[2 * (last - first)];
        int[] deltas = new int[instants.length];
        int n = 0;
        int bookedAtFrom = 0;
        for (int b = first; b < last; b++) {
            if (ends[b] <= from) {
                continue;
            }
            if (starts[b] <= from) {
                bookedAtFrom++;
            } else {
                instants[n] = starts[b];
                deltas[n++] = 1;
            }
            if (ends[b] != FOREVER) {
                instants[n] = ends[b];
                deltas[n++] = -1;
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingLong(i -> instants[i]));
        List<FreeStep> steps = new ArrayList<>();
        int booked = bookedAtFrom;
        steps.add(new FreeStep(from, units - booked));
        int i = 0;
        while (i < n) {
            long instant = instants[order[i]];
            while (i < n && instants[order[i]] == instant) {
                booked += deltas[order[i]];
                i++;
            }
            if (units - booked != steps.get(steps.size() - 1).freeCount()) {
                steps.add(new FreeStep(instant, units - booked));
            }
        }
        return List.copyOf(steps);
    }
}
