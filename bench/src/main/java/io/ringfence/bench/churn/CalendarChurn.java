package io.ringfence.bench.churn;

import io.ringfence.calendar.Booking;
import io.ringfence.calendar.Calendar;
import io.ringfence.calendar.CalendarAllocator;
import io.ringfence.calendar.CalendarDecision;
import io.ringfence.calendar.CalendarUnit;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Allocation quality under churn with advance bookings: the request stream of {@link ChurnSimulation} (same counts,
 * holding times and arrivals per seed), and each request starts a lead time after it arrives, uniform between 0
 * and twice the mean lead (in mean holding times). A request is placeable in a pod iff the pod has {@code count}
 * units free over its whole window. Times are scaled to integer seconds for the calendar.
 *
 * <p>Policies: the fluid bound (accepted iff the region's booked units plus the request stay within capacity at
 * every instant of the window), {@code calendar} (the time-aware {@link CalendarAllocator}), {@code window-best-fit}
 * (the same allocator with {@link CalendarAllocator.Fit#SPACE_ONLY}: best fit on units free over the window, blind
 * to the bookings around it) and {@code first-fit} (the lowest pod with enough units free over the window, its
 * lowest positions). With lead 0 the fluid bound, window-best-fit and first-fit are today's fluid bound, Ringfence
 * and first-fit exactly; the run checks that.
 */
final class CalendarChurn {

    static final String[] POLICIES = {"fluid", "calendar", "window-best-fit", "first-fit"};
    /** Seconds per mean holding time: fine enough that rounding never merges two events of the simulation. */
    static final double SCALE = 1e9;

    private CalendarChurn() {
    }

    record Timed(long arrival, long start, long end, int count) {
    }

    static int run(PrintStream out, int pods, List<Integer> domainSizes, double[] loads, int seeds, int requests,
                   int warmup, double lead) {
        long started = System.nanoTime();
        for (int domains : domainSizes) {
            out.printf(Locale.ROOT, "%ncalendar churn: %d pods x %d domains (%d units), requests of 1-8 units (uniform), "
                            + "Poisson arrivals, exponential durations (mean 1), lead times uniform in [0, %.2f],%n"
                            + "%d seeds x %d requests counted after %d warm-up requests; acceptance rate (share of the "
                            + "fluid bound)%n", pods, domains, pods * domains, 2 * lead, seeds, requests, warmup);
            out.printf(Locale.ROOT, "%-6s %-9s %-17s %-17s %-17s%n", "load", POLICIES[0], POLICIES[1], POLICIES[2],
                    POLICIES[3]);
            for (double load : loads) {
                Map<String, Double> rates = acceptance(pods, domains, load, seeds, requests, warmup, lead);
                double fluid = rates.get("fluid");
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-6s %-9s",
                        Math.round(load * 100) + "%", String.format(Locale.ROOT, "%.2f%%", fluid * 100)));
                for (int p = 1; p < POLICIES.length; p++) {
                    double rate = rates.get(POLICIES[p]);
                    line.append(String.format(Locale.ROOT, " %-17s", String.format(Locale.ROOT, "%.2f%% (%.1f%%)",
                            rate * 100, rate / fluid * 100)));
                }
                if (lead == 0) {
                    Map<String, Double> today = ChurnSimulation.acceptance(pods, domains, load, seeds, requests, warmup);
                    boolean same = today.get("fluid").equals(rates.get("fluid"))
                            && today.get("ringfence").equals(rates.get("window-best-fit"))
                            && today.get("first-fit").equals(rates.get("first-fit"));
                    line.append(same ? "  = today's fluid/Ringfence/first-fit" : "  DIFFERS from today: " + today);
                    if (!same) {
                        out.println(line);
                        return 1;
                    }
                }
                out.println(line);
            }
        }
        out.printf(Locale.ROOT, "%ncalendar churn simulation took %.1f s%n", (System.nanoTime() - started) / 1e9);
        return 0;
    }

    static Map<String, Double> acceptance(int pods, int domains, double load, int seeds, int requests, int warmup,
                                          double lead) {
        Map<String, long[]> totals = new LinkedHashMap<>();
        for (String policy : POLICIES) {
            totals.put(policy, new long[2]);
        }
        for (int seed = 1; seed <= seeds; seed++) {
            List<Timed> sequence = timed(seed, pods * domains, load, warmup + requests, lead);
            for (String policy : POLICIES) {
                totals.get(policy)[0] += simulate(policy, pods, domains, sequence, warmup);
                totals.get(policy)[1] += requests;
            }
        }
        Map<String, Double> rates = new LinkedHashMap<>();
        totals.forEach((policy, t) -> rates.put(policy, (double) t[0] / t[1]));
        return rates;
    }

    /** Today's request stream with a lead time per request, drawn from a stream of its own. */
    static List<Timed> timed(long seed, int capacity, double load, int n, double lead) {
        List<ChurnSimulation.Request> requests = ChurnSimulation.requests(seed, capacity, load, n);
        SplittableRandom leads = new SplittableRandom(seed * 31L + 17);
        List<Timed> timed = new ArrayList<>(n);
        for (ChurnSimulation.Request r : requests) {
            double l = lead * 2 * leads.nextDouble();
            timed.add(new Timed(Math.round(r.arrival() * SCALE), Math.round((r.arrival() + l) * SCALE),
                    Math.round((r.arrival() + l + r.holding()) * SCALE), r.count()));
        }
        return timed;
    }

    /** Runs one policy over the sequence; returns how many requests after the warm-up it accepted. */
    static long simulate(String policy, int pods, int domains, List<Timed> sequence, int warmup) {
        List<CalendarUnit> units = new ArrayList<>(pods * domains);
        for (int p = 0; p < pods; p++) {
            for (int d = 0; d < domains; d++) {
                units.add(new CalendarUnit(p + "/" + d, String.format(Locale.ROOT, "pod-%03d", p), d));
            }
        }
        List<Booking> bookings = new ArrayList<>();
        List<Timed> fluid = new ArrayList<>();
        long accepted = 0;
        for (int i = 0; i < sequence.size(); i++) {
            Timed r = sequence.get(i);
            long now = r.arrival();
            boolean ok;
            if (policy.equals("fluid")) {
                fluid.removeIf(b -> b.end() <= now);
                ok = peakBooked(fluid, r.start(), r.end()) + r.count() <= pods * domains;
                if (ok) {
                    fluid.add(r);
                }
            } else {
                bookings.removeIf(b -> b.end() <= now);
                List<String> granted = switch (policy) {
                    case "calendar", "window-best-fit" -> {
                        CalendarDecision decision = CalendarAllocator.decide(Calendar.of(units, bookings), r.count(),
                                r.start(), r.end(), r.start(), policy.equals("calendar")
                                        ? CalendarAllocator.Fit.TIME_AWARE : CalendarAllocator.Fit.SPACE_ONLY);
                        yield decision instanceof CalendarDecision.Granted g ? g.unitIds() : null;
                    }
                    case "first-fit" -> firstFit(pods, domains, bookings, r);
                    default -> throw new IllegalArgumentException(policy);
                };
                ok = granted != null;
                if (ok) {
                    for (String unitId : granted) {
                        for (Booking b : bookings) {
                            if (b.unitId().equals(unitId) && b.start() < r.end() && r.start() < b.end()) {
                                throw new IllegalStateException(policy + " booked " + unitId + " twice at once");
                            }
                        }
                    }
                    for (String unitId : granted) {
                        bookings.add(new Booking(unitId, r.start(), r.end()));
                    }
                }
            }
            if (ok && i >= warmup) {
                accepted++;
            }
        }
        return accepted;
    }

    /** The most units booked at any instant of [start, end). */
    static long peakBooked(List<Timed> booked, long start, long end) {
        long atStart = 0;
        long[] events = new long[2 * booked.size()];
        int[] deltas = new int[events.length];
        int n = 0;
        for (Timed b : booked) {
            if (b.end() <= start || b.start() >= end) {
                continue;
            }
            if (b.start() <= start) {
                atStart += b.count();
            } else {
                events[n] = b.start();
                deltas[n++] = b.count();
            }
            if (b.end() < end) {
                events[n] = b.end();
                deltas[n++] = -b.count();
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // ends before starts at the same instant: intervals are half-open
        Arrays.sort(order, (x, y) -> events[x] != events[y] ? Long.compare(events[x], events[y])
                : Integer.compare(deltas[x], deltas[y]));
        long peak = atStart;
        long current = atStart;
        for (int i = 0; i < n; i++) {
            current += deltas[order[i]];
            peak = Math.max(peak, current);
        }
        return peak;
    }

    private static List<String> firstFit(int pods, int domains, List<Booking> bookings, Timed r) {
        boolean[][] busy = new boolean[pods][domains];
        for (Booking b : bookings) {
            if (b.start() < r.end() && r.start() < b.end()) {
                int slash = b.unitId().indexOf('/');
                busy[Integer.parseInt(b.unitId().substring(0, slash))][Integer.parseInt(b.unitId().substring(slash + 1))] = true;
            }
        }
        for (int p = 0; p < pods; p++) {
            List<String> picked = new ArrayList<>(r.count());
            for (int d = 0; d < domains && picked.size() < r.count(); d++) {
                if (!busy[p][d]) {
                    picked.add(p + "/" + d);
                }
            }
            if (picked.size() == r.count()) {
                return picked;
            }
        }
        return null;
    }
}
