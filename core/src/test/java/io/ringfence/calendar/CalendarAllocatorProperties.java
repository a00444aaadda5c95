package io.ringfence.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import io.ringfence.capacity.Allocation;
import io.ringfence.capacity.Allocator;
import io.ringfence.capacity.CapacitySnapshot;
import io.ringfence.capacity.FreeUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The calendar allocator against a brute-force oracle: small worlds on an integer time grid, where every instant
 * and every pod can be checked by counting.
 */
class CalendarAllocatorProperties {

    private static final int EXAMPLES = 1000;
    private static final long FOREVER = Calendar.FOREVER;

    /** A random world: eligible units, bookings on them (and on a unit that is not eligible), one request. */
    record World(List<CalendarUnit> units, List<Booking> bookings, int count, long start, long end, long horizon,
                 long seed) {
        Calendar calendar() {
            return Calendar.of(units, bookings);
        }

        long duration() {
            return end == FOREVER ? FOREVER : end - start;
        }

        @Override
        public String toString() {
            return "World(seed " + seed + ", count " + count + ", [" + start + ", " + end + "), horizon " + horizon
                    + ", units " + units + ", bookings " + bookings + ")";
        }
    }

    static Gen<World> worlds() {
        return longs().all().map(CalendarAllocatorProperties::world);
    }

    static World world(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int pods = 1 + random.nextInt(4);
        int positions = 1 + random.nextInt(8);
        List<CalendarUnit> units = new ArrayList<>();
        List<Booking> bookings = new ArrayList<>();
        int maxBookings = random.nextInt(5);
        for (int p = 0; p < pods; p++) {
            for (int d = 0; d < positions; d++) {
                String id = "u-" + p + "-" + d;
                if (random.nextInt(8) > 0) {
                    units.add(new CalendarUnit(id, "pod-" + p, d));
                }
                int n = maxBookings == 0 ? 0 : random.nextInt(maxBookings + 1);
                for (int b = 0; b < n; b++) {
                    long s = random.nextInt(40);
                    long e = random.nextInt(12) == 0 ? FOREVER : s + 1 + random.nextInt(10);
                    bookings.add(new Booking(id, s, e));
                }
            }
        }
        Collections.shuffle(units, new java.util.Random(seed));
        int count = 1 + random.nextInt(Math.min(6, positions + 1));
        long start = random.nextInt(45);
        long end = random.nextInt(6) == 0 ? FOREVER : start + 1 + random.nextInt(12);
        long horizon = start + random.nextInt(50);
        return new World(units, bookings, count, start, end, horizon, seed);
    }

    // ---- the oracle ----

    static boolean overlaps(long s1, long e1, long s2, long e2) {
        return s1 < e2 && s2 < e1;
    }

    static long endOf(long start, long duration) {
        return duration == FOREVER ? FOREVER : start + duration;
    }

    /** Per pod, the eligible units free over [s, e). */
    static Map<String, List<CalendarUnit>> freeOver(World w, List<Booking> bookings, long s, long e) {
        Map<String, List<CalendarUnit>> free = new HashMap<>();
        for (CalendarUnit unit : w.units()) {
            boolean isFree = bookings.stream()
                    .noneMatch(b -> b.unitId().equals(unit.unitId()) && overlaps(b.start(), b.end(), s, e));
            if (isFree) {
                free.computeIfAbsent(unit.podId(), k -> new ArrayList<>()).add(unit);
            }
        }
        return free;
    }

    static int largest(World w, List<Booking> bookings, long s, long e) {
        return freeOver(w, bookings, s, e).values().stream().mapToInt(List::size).max().orElse(0);
    }

    /** Earliest integer instant in [from, horizon] at which count units of one pod are free for the duration. */
    static OptionalLong oracleEarliest(World w, long from, long horizon) {
        for (long t = from; t <= horizon; t++) {
            if (largest(w, w.bookings(), t, endOf(t, w.duration())) >= w.count()) {
                return OptionalLong.of(t);
            }
        }
        return OptionalLong.empty();
    }

    static Set<String> eligibleIds(World w) {
        Set<String> ids = new HashSet<>();
        w.units().forEach(u -> ids.add(u.unitId()));
        return ids;
    }

    // ---- properties ----

    @Test
    void grantsCountFreeUnitsOfOnePodExactlyWhenTheOracleFindsThem() {
        qt().withExamples(EXAMPLES).forAll(worlds()).checkAssert(w -> {
            for (CalendarAllocator.Fit fit : CalendarAllocator.Fit.values()) {
                CalendarDecision decision = CalendarAllocator.decide(w.calendar(), w.count(), w.start(), w.end(),
                        w.horizon(), fit);
                Map<String, List<CalendarUnit>> free = freeOver(w, w.bookings(), w.start(), w.end());
                int largest = free.values().stream().mapToInt(List::size).max().orElse(0);
                if (largest >= w.count()) {
                    assertThat(decision).isInstanceOf(CalendarDecision.Granted.class);
                    CalendarDecision.Granted granted = (CalendarDecision.Granted) decision;
                    Set<String> freeIds = new HashSet<>();
                    free.getOrDefault(granted.podId(), List.of()).forEach(u -> freeIds.add(u.unitId()));
                    assertThat(granted.unitIds()).hasSize(w.count()).doesNotHaveDuplicates();
                    assertThat(freeIds).containsAll(granted.unitIds());
                    if (fit == CalendarAllocator.Fit.TIME_AWARE) {
                        continue;
                    }
                    // best fit in space: no pod with fewer units free over the window would do
                    int smallest = free.values().stream().mapToInt(List::size).filter(n -> n >= w.count()).min()
                            .orElseThrow();
                    assertThat(free.get(granted.podId())).hasSize(smallest);
                } else {
                    assertThat(decision).isEqualTo(new CalendarDecision.Insufficient(w.count(), largest,
                            oracleEarliest(w, w.start(), w.horizon())));
                }
            }
        });
    }

    @Test
    void grantsNeverOverlapABookingAlongASequenceOfDecisions() {
        qt().withExamples(300).forAll(worlds()).checkAssert(w -> {
            SplittableRandom random = new SplittableRandom(w.seed() + 1);
            List<Booking> bookings = new ArrayList<>(w.bookings());
            Set<String> eligible = eligibleIds(w);
            for (int step = 0; step < 12; step++) {
                int count = 1 + random.nextInt(4);
                long start = random.nextInt(50);
                long end = random.nextInt(5) == 0 ? FOREVER : start + 1 + random.nextInt(10);
                CalendarDecision decision = CalendarAllocator.decide(Calendar.of(w.units(), bookings), count,
                        start, end, start + 20);
                if (decision instanceof CalendarDecision.Granted granted) {
                    for (String unitId : granted.unitIds()) {
                        assertThat(eligible).contains(unitId);
                        for (Booking b : bookings) {
                            if (b.unitId().equals(unitId)) {
                                assertThat(overlaps(b.start(), b.end(), start, end)).as("%s overlaps %s", b, w)
                                        .isFalse();
                            }
                        }
                    }
                    for (String unitId : granted.unitIds()) {
                        bookings.add(new Booking(unitId, start, end));
                    }
                } else {
                    assertThat(largest(w, bookings, start, end)).isLessThan(count);
                }
            }
        });
    }

    @Test
    void offeringsStartAtTheOracleEarliestAndEachFits() {
        qt().withExamples(EXAMPLES).forAll(worlds()).checkAssert(w -> {
            int limit = 1 + (int) Math.floorMod(w.seed(), 5L);
            List<Offering> offerings = CalendarAllocator.offerings(w.calendar(), w.count(), w.duration(), w.start(),
                    w.horizon(), limit);
            OptionalLong earliest = oracleEarliest(w, w.start(), w.horizon());
            if (earliest.isEmpty()) {
                assertThat(offerings).isEmpty();
                return;
            }
            assertThat(offerings).isNotEmpty();
            assertThat(offerings.get(0).start()).isEqualTo(earliest.getAsLong());
            // the candidates: the requested start and every end of a booking on an eligible unit after it
            Set<String> eligible = eligibleIds(w);
            TreeSet<Long> candidates = new TreeSet<>();
            candidates.add(w.start());
            for (Booking b : w.bookings()) {
                if (eligible.contains(b.unitId()) && b.end() > w.start() && b.end() <= w.horizon()) {
                    candidates.add(b.end());
                }
            }
            List<Long> expected = new ArrayList<>();
            for (long t : candidates) {
                if (expected.size() < limit && largest(w, w.bookings(), t, endOf(t, w.duration())) >= w.count()) {
                    expected.add(t);
                }
            }
            assertThat(offerings.stream().map(Offering::start).toList()).isEqualTo(expected);
            for (Offering offering : offerings) {
                assertThat(offering.end()).isEqualTo(endOf(offering.start(), w.duration()));
                assertThat(freeOver(w, w.bookings(), offering.start(), offering.end())
                        .getOrDefault(offering.podId(), List.of()).size()).isGreaterThanOrEqualTo(w.count());
            }
        });
    }

    @Test
    void latestEndIsTheFirstBookingAfterwards() {
        qt().withExamples(EXAMPLES).forAll(worlds()).checkAssert(w -> {
            SplittableRandom random = new SplittableRandom(w.seed() + 2);
            List<String> some = new ArrayList<>();
            for (CalendarUnit unit : w.units()) {
                if (random.nextBoolean()) {
                    some.add(unit.unitId());
                }
            }
            long from = random.nextInt(50);
            long expected = FOREVER;
            for (Booking b : w.bookings()) {
                if (some.contains(b.unitId()) && b.end() > from) {
                    expected = Math.min(expected, Math.max(b.start(), from));
                }
            }
            assertThat(CalendarAllocator.latestEnd(w.calendar(), some, from)).isEqualTo(expected);
        });
    }

    @Test
    void withoutBookingsDecidesAsTheAllocatorDoes() {
        qt().withExamples(EXAMPLES).forAll(worlds()).checkAssert(w -> {
            List<FreeUnit> free = w.units().stream()
                    .map(u -> new FreeUnit(u.unitId(), u.podId(), u.position())).toList();
            Allocation expected = Allocator.allocate(CapacitySnapshot.of(free), w.count());
            CalendarDecision decision = CalendarAllocator.decide(Calendar.of(w.units(), List.of()), w.count(),
                    w.start(), w.end(), w.horizon());
            assertThat(asAllocation(decision)).isEqualTo(expected);
        });
    }

    @Test
    void spaceOnlyDecidesAsTheAllocatorOnTheUnitsFreeOverTheWindow() {
        qt().withExamples(EXAMPLES).forAll(worlds()).checkAssert(w -> {
            List<FreeUnit> free = new ArrayList<>();
            freeOver(w, w.bookings(), w.start(), w.end()).values().forEach(units -> units.forEach(
                    u -> free.add(new FreeUnit(u.unitId(), u.podId(), u.position()))));
            Allocation expected = Allocator.allocate(CapacitySnapshot.of(free), w.count());
            CalendarDecision decision = CalendarAllocator.decide(w.calendar(), w.count(), w.start(), w.end(),
                    w.horizon(), CalendarAllocator.Fit.SPACE_ONLY);
            assertThat(asAllocation(decision)).isEqualTo(expected);
        });
    }

    @Test
    void isDeterministic() {
        qt().withExamples(EXAMPLES).forAll(worlds()).checkAssert(w -> {
            List<CalendarUnit> units = new ArrayList<>(w.units());
            List<Booking> bookings = new ArrayList<>(w.bookings());
            Collections.reverse(units);
            Collections.reverse(bookings);
            assertThat(CalendarAllocator.decide(Calendar.of(units, bookings), w.count(), w.start(), w.end(),
                    w.horizon())).isEqualTo(CalendarAllocator.decide(w.calendar(), w.count(), w.start(), w.end(),
                    w.horizon()));
        });
    }

    @Test
    void openEndedCapacityAndFreeOverTimeCountByInstant() {
        qt().withExamples(EXAMPLES).forAll(worlds()).checkAssert(w -> {
            Calendar calendar = w.calendar();
            long now = w.start();
            Map<String, List<CalendarUnit>> openEnded = freeOver(w, w.bookings(), now, FOREVER);
            int total = openEnded.values().stream().mapToInt(List::size).sum();
            assertThat(calendar.openEndedFrom(now)).isEqualTo(new Calendar.OpenEndedCapacity(total,
                    largest(w, w.bookings(), now, FOREVER)));
            for (String podId : calendar.podIds()) {
                List<Calendar.FreeStep> steps = calendar.freeOverTime(podId, now);
                assertThat(steps.get(0).instant()).isEqualTo(now);
                for (int i = 1; i < steps.size(); i++) {
                    assertThat(steps.get(i).instant()).isGreaterThan(steps.get(i - 1).instant());
                    assertThat(steps.get(i).freeCount()).isNotEqualTo(steps.get(i - 1).freeCount());
                }
                for (long t = now; t <= 60; t++) {
                    int expected = freeOver(w, w.bookings(), t, t + 1).getOrDefault(podId, List.of()).size();
                    Calendar.FreeStep step = null;
                    for (Calendar.FreeStep s : steps) {
                        if (s.instant() <= t) {
                            step = s;
                        }
                    }
                    assertThat(step.freeCount()).as("pod %s at %d in %s", podId, t, w).isEqualTo(expected);
                }
            }
        });
    }

    private static Allocation asAllocation(CalendarDecision decision) {
        if (decision instanceof CalendarDecision.Granted granted) {
            return new Allocation.Granted(granted.podId(), granted.unitIds());
        }
        return new Allocation.Insufficient(((CalendarDecision.Insufficient) decision).requested(),
                ((CalendarDecision.Insufficient) decision).largestContiguous());
    }
}
