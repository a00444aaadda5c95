package io.ringfence.bench.jmh;

import io.ringfence.calendar.Booking;
import io.ringfence.calendar.Calendar;
import io.ringfence.calendar.CalendarAllocator;
import io.ringfence.calendar.CalendarDecision;
import io.ringfence.calendar.CalendarUnit;
import io.ringfence.calendar.Offering;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The calendar allocator on one capacity pool of {@code domains} NVLink domains in pods of 16, with
 * {@code bookings} bookings spread over a year (about {@code bookings / domains} per domain, durations of one to
 * twenty days, seeded random gaps between them), asked for 4 units for a week starting in a month.
 * {@code decide}: the time-aware decision alone, on a prebuilt {@link Calendar}. {@code calendarOf}: building the
 * calendar from the units and bookings (as the service does per request from what it read).
 * {@code offerings}: the first 5 offerings for the same request.
 *
 * <p>{@link #main} measures the same three by CPU time of the measuring thread rather than wall time, for a shared
 * machine whose other load makes JMH's wall times meaningless:
 * {@code java -cp bench/target/loadtool.jar io.ringfence.bench.jmh.CalendarBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CalendarBenchmark {

    private static final long DAY = 86_400;
    private static final long NOW = 1_800_000_000L;

    @Param({"10000"})
    public int domains;

    @Param({"100000"})
    public int bookings;

    @Param({"4"})
    public int count;

    private List<CalendarUnit> units;
    private List<Booking> bookingList;
    private Calendar calendar;
    private long start;
    private long end;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        int domainsPerPod = 16;
        units = new ArrayList<>(domains);
        bookingList = new ArrayList<>(bookings);
        long perDomain = bookings / domains;
        long meanGap = Math.max(1, 365 * DAY / Math.max(1, perDomain) - 10 * DAY);
        for (int i = 0; i < domains; i++) {
            String unitId = String.format(Locale.ROOT, "domain-%06d", i);
            units.add(new CalendarUnit(unitId, String.format(Locale.ROOT, "pod-%05d", i / domainsPerPod),
                    i % domainsPerPod));
            long t = NOW - random.nextLong(10 * DAY);
            for (int b = 0; b < perDomain || (i < bookings % domains && b == perDomain); b++) {
                long duration = DAY + random.nextLong(19 * DAY);
                bookingList.add(new Booking(unitId, t, t + duration));
                t += duration + random.nextLong(2 * meanGap);
            }
        }
        Collections.shuffle(units, new Random(7)); // the database returns no order
        Collections.shuffle(bookingList, new Random(8));
        calendar = Calendar.of(units, bookingList);
        start = NOW + 30 * DAY;
        end = start + 7 * DAY;
    }

    @Benchmark
    public CalendarDecision decide() {
        return CalendarAllocator.decide(calendar, count, start, end, start + 365 * DAY);
    }

    @Benchmark
    public Calendar calendarOf() {
        return Calendar.of(units, bookingList);
    }

    @Benchmark
    public List<Offering> offerings() {
        return CalendarAllocator.offerings(calendar, count, end - start, start, start + 365 * DAY, 5);
    }

    /** CPU microseconds per call of each benchmark, 5 rounds each after 2 rounds of warm-up. */
    public static void main(String[] args) {
        CalendarBenchmark state = new CalendarBenchmark();
        state.domains = 10_000;
        state.bookings = 100_000;
        state.count = 4;
        state.setUp();
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        Object sink = null;
        for (String benchmark : List.of("decide", "calendarOf", "offerings")) {
            int calls = benchmark.equals("decide") ? 20_000 : 20;
            StringBuilder line = new StringBuilder(benchmark + " CPU us/op:");
            for (int round = 0; round < 7; round++) {
                long cpu = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < calls; i++) {
                    sink = switch (benchmark) {
                        case "decide" -> state.decide();
                        case "calendarOf" -> state.calendarOf();
                        default -> state.offerings();
                    };
                }
                if (round >= 2) {
                    line.append(String.format(Locale.ROOT, " %.1f", (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / calls));
                }
            }
            System.out.println(line);
        }
        System.out.println(sink == null ? "" : "last result: " + sink);
    }
}
