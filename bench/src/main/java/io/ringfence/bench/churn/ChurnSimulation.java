package io.ringfence.bench.churn;

import io.ringfence.capacity.Allocation;
import io.ringfence.capacity.Allocator;
import io.ringfence.capacity.CapacitySnapshot;
import io.ringfence.capacity.FreeUnit;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Allocation quality under churn. One region of {@code pods} pods of {@code domains} NVLink domains; requests of 1
 * to 8 units (uniform) arrive as a Poisson process and hold their units for an exponential time (mean 1); the
 * offered load is {@code arrival rate x mean size x mean holding time / capacity}. Every policy sees the same
 * request sequence (per seed) and runs its own trajectory: a request it cannot place is lost.
 *
 * <p>Policies: Ringfence (the real {@link Allocator}, snapshot built per request), first-fit (lowest pod with room),
 * best-fit (fullest pod with room), worst-fit (emptiest pod with room), and the fluid bound (accepted iff the region
 * has enough free units in total, pods and contiguity ignored). A request is placeable in a pod iff the pod has
 * {@code count} free units, so the policies differ only in the pod they choose.
 *
 * <p>Deterministic for a seed. The first {@code warmup} requests bring the region to steady state and are not counted.
 */
public final class ChurnSimulation {

    static final String[] POLICIES = {"fluid", "ringfence", "first-fit", "best-fit", "worst-fit"};

    record Request(double arrival, int count, double holding) {
    }

    private ChurnSimulation() {
    }

    public static int main(String[] args, PrintStream out) {
        int seeds = 5;
        int requests = 20_000;
        int warmup = 5_000;
        int pods = 16;
        List<Integer> domainSizes = List.of(12, 8, 16);
        double[] loads = {0.70, 0.90, 1.10};
        double lead = -1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seeds" -> seeds = Integer.parseInt(args[++i]);
                case "--requests" -> requests = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--pods" -> pods = Integer.parseInt(args[++i]);
                case "--domains" -> domainSizes = java.util.Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
                case "--loads" -> loads = java.util.Arrays.stream(args[++i].split(",")).mapToDouble(Double::parseDouble).toArray();
                case "--lead" -> lead = Double.parseDouble(args[++i]);
                default -> {
                    System.err.println("usage: churn [--seeds 5] [--requests 20000] [--warmup 5000] [--pods 16] "
                            + "[--domains 12,8,16] [--loads 0.7,0.9,1.1] [--lead <mean lead time in mean durations>]");
                    return 2;
                }
            }
        }
        if (lead >= 0) {
            return CalendarChurn.run(out, pods, domainSizes, loads, seeds, requests, warmup, lead);
        }
        long started = System.nanoTime();
        for (int domains : domainSizes) {
            out.printf(Locale.ROOT, "%nchurn: %d pods x %d domains (%d units), requests of 1-8 units (uniform), Poisson "
                            + "arrivals, exponential holding (mean 1),%n%d seeds x %d requests counted after %d warm-up "
                            + "requests; acceptance rate (share of the fluid bound)%n", pods, domains, pods * domains,
                    seeds, requests, warmup);
            out.printf(Locale.ROOT, "%-6s %-9s %-17s %-17s %-17s %-17s%n", "load", POLICIES[0], POLICIES[1], POLICIES[2],
                    POLICIES[3], POLICIES[4]);
            for (double load : loads) {
                Map<String, Double> rates = acceptance(pods, domains, load, seeds, requests, warmup);
                double fluid = rates.get("fluid");
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-6s %-9s", Math.round(load * 100) + "%",
                        String.format(Locale.ROOT, "%.2f%%", fluid * 100)));
                for (int p = 1; p < POLICIES.length; p++) {
                    double rate = rates.get(POLICIES[p]);
                    line.append(String.format(Locale.ROOT, " %-17s", String.format(Locale.ROOT, "%.2f%% (%.1f%%)",
                            rate * 100, rate / fluid * 100)));
                }
                out.println(line);
            }
        }
        out.printf(Locale.ROOT, "%nchurn simulation took %.1f s%n", (System.nanoTime() - started) / 1e9);
        return 0;
    }

    /** Acceptance rate per policy, pooled over seeds 1..{@code seeds}. */
    public static Map<String, Double> acceptance(int pods, int domains, double load, int seeds, int requests,
                                                 int warmup) {
        Map<String, long[]> totals = new LinkedHashMap<>();
        for (String policy : POLICIES) {
            totals.put(policy, new long[2]);
        }
        for (int seed = 1; seed <= seeds; seed++) {
            List<Request> sequence = requests(seed, pods * domains, load, warmup + requests);
            for (String policy : POLICIES) {
                long accepted = simulate(policy, pods, domains, sequence, warmup);
                totals.get(policy)[0] += accepted;
                totals.get(policy)[1] += requests;
            }
        }
        Map<String, Double> rates = new LinkedHashMap<>();
        totals.forEach((policy, t) -> rates.put(policy, (double) t[0] / t[1]));
        return rates;
    }

    static List<Request> requests(long seed, int capacity, double load, int n) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + Math.round(load * 1000) * 7919L + capacity);
        double meanSize = 4.5;
        double rate = load * capacity / meanSize; // arrivals per unit of time, mean holding time 1
        List<Request> sequence = new ArrayList<>(n);
        double t = 0;
        for (int i = 0; i < n; i++) {
            t += -Math.log(1 - random.nextDouble()) / rate;
            int count = 1 + random.nextInt(8);
            double holding = -Math.log(1 - random.nextDouble());
            sequence.add(new Request(t, count, holding));
        }
        return sequence;
    }

    private record Departure(double time, int pod, int[] positions) {
    }

    /** Runs one policy over the sequence; returns how many of the requests after the warm-up it accepted. */
    static long simulate(String policy, int pods, int domains, List<Request> sequence, int warmup) {
        boolean[][] claimed = new boolean[pods][domains];
        int[] free = new int[pods];
        java.util.Arrays.fill(free, domains);
        int[] totalFree = {pods * domains};
        String[] podIds = new String[pods];
        String[][] unitIds = new String[pods][domains];
        for (int p = 0; p < pods; p++) {
            podIds[p] = String.format(Locale.ROOT, "pod-%03d", p);
            for (int d = 0; d < domains; d++) {
                unitIds[p][d] = p + "/" + d;
            }
        }
        PriorityQueue<Departure> departures = new PriorityQueue<>((a, b) -> Double.compare(a.time(), b.time()));
        long accepted = 0;
        for (int i = 0; i < sequence.size(); i++) {
            Request request = sequence.get(i);
            while (!departures.isEmpty() && departures.peek().time() <= request.arrival()) {
                Departure d = departures.poll();
                if (d.pod() < 0) {
                    totalFree[0] += d.positions()[0];
                    continue;
                }
                for (int position : d.positions()) {
                    claimed[d.pod()][position] = false;
                }
                free[d.pod()] += d.positions().length;
                totalFree[0] += d.positions().length;
            }
            int k = request.count();
            boolean ok;
            double leaves = request.arrival() + request.holding();
            if (policy.equals("fluid")) {
                ok = totalFree[0] >= k;
                if (ok) {
                    totalFree[0] -= k;
                    departures.add(new Departure(leaves, -1, new int[] {k}));
                }
            } else {
                int pod;
                int[] positions;
                if (policy.equals("ringfence")) {
                    List<FreeUnit> units = new ArrayList<>(totalFree[0]);
                    for (int p = 0; p < pods; p++) {
                        for (int d = 0; d < domains; d++) {
                            if (!claimed[p][d]) {
                                units.add(new FreeUnit(unitIds[p][d], podIds[p], d));
                            }
                        }
                    }
                    Allocation allocation = Allocator.allocate(CapacitySnapshot.of(units), k);
                    if (allocation instanceof Allocation.Granted granted) {
                        pod = Integer.parseInt(granted.podId().substring(4));
                        positions = granted.unitIds().stream()
                                .mapToInt(u -> Integer.parseInt(u.substring(u.indexOf('/') + 1))).toArray();
                    } else {
                        pod = -1;
                        positions = null;
                    }
                } else {
                    pod = choosePod(policy, free, k);
                    positions = pod < 0 ? null : firstFree(claimed[pod], k);
                }
                ok = pod >= 0;
                if (ok) {
                    for (int position : positions) {
                        if (claimed[pod][position]) {
                            throw new IllegalStateException(policy + " claimed unit " + pod + "/" + position + " twice");
                        }
                        claimed[pod][position] = true;
                    }
                    free[pod] -= k;
                    totalFree[0] -= k;
                    departures.add(new Departure(leaves, pod, positions));
                }
            }
            if (ok && i >= warmup) {
                accepted++;
            }
        }
        return accepted;
    }

    private static int choosePod(String policy, int[] free, int k) {
        int chosen = -1;
        for (int p = 0; p < free.length; p++) {
            if (free[p] < k) {
                continue;
            }
            switch (policy) {
                case "first-fit" -> {
                    return p;
                }
                case "best-fit" -> {
                    if (chosen < 0 || free[p] < free[chosen]) {
                        chosen = p;
                    }
                }
                case "worst-fit" -> {
                    if (chosen < 0 || free[p] > free[chosen]) {
                        chosen = p;
                    }
                }
                default -> throw new IllegalArgumentException(policy);
            }
        }
        return chosen;
    }

    private static int[] firstFree(boolean[] claimed, int k) {
        int[] positions = new int[k];
        int n = 0;
        for (int d = 0; d < claimed.length && n < k; d++) {
            if (!claimed[d]) {
                positions[n++] = d;
            }
        }
        return positions;
    }
}
