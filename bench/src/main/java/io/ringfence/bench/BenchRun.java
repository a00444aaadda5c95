package io.ringfence.bench;

import io.ringfence.client.model.ReservationUnitV2;
import io.ringfence.testkit.Fixtures;
import io.ringfence.testkit.ServiceProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Collections;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The default benchmark, end to end: (optionally) a probe of an unchanged service, then the load service with
 * the benchmark fleet: warm-up, the database's own limit, create-only, the list phase, a clean-up to the asked
 * occupancy, the mixed phase, the open-loop phase, convergence and invariant checks. Ends with the lines
 * {@code create p99 ms at 200/s}, {@code get p99 ms at 800/s}, {@code list of 10000 p50 ms} and
 * {@code ratio create/database}, in that order.
 */
public final class BenchRun {

    /** What a run measured; the report is also printed as it goes. */
    public static final class Result {
        public final List<String> broken = new ArrayList<>();
        public final List<String> passed = new ArrayList<>();
        public final StringBuilder report = new StringBuilder();
        public double createPerSecond = Double.NaN;
        public double databasePerSecond = Double.NaN;
        public double ratio = Double.NaN;
        /** How long after the create-only phase the reconciler still had work: it should keep pace. */
        public double backlogDrainSeconds = Double.NaN;
        public Stats createOnly;
        public Stats mixed;
        public Stats database;
        public Stats open;
        public double listMillisP50 = Double.NaN;

        public boolean ok() {
            return broken.isEmpty();
        }
    }

    private final Options options;
    private final PrintStream out;
    private final Result result = new Result();

    public BenchRun(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public Result run() throws Exception {
        section(machine());
        if (options.defaultsProbe && options.url == null) {
            probeDefaults();
        }
        Path manifest = null;
        ServiceProcess service = null;
        try {
            String url = options.url;
            String jdbc = options.jdbcUrl;
            if (url == null) {
                manifest = Files.createTempFile("ringfence-bench-fleet-", ".yaml");
                FleetManifest.write(manifest, options.regions, options.pods, options.domainsPerPod, options.hostsPerUnit);
                List<String> args = new ArrayList<>();
                if (!options.providerDefaults) {
                    args.add("--ringfence.provider.simulated.prepare-unit=0ms");
                    args.add("--ringfence.provider.simulated.release-unit=0ms");
                }
                args.addAll(options.serviceArgs);
                service = service(manifest).arguments(args);
                out.printf("starting the load service: fleet %d regions x %d pods x %d domains x %d hosts (%d units), "
                                + "args %s%n", options.regions, options.pods, options.domainsPerPod, options.hostsPerUnit,
                        options.totalUnits(), args);
                Duration ready = service.start(Duration.ofSeconds(600));
                url = service.url();
                jdbc = service.jdbcUrl();
                section(String.format(Locale.ROOT, "load service ready after %.1f s (includes initdb and loading the "
                        + "%d-unit fleet); RSS %.0f MiB%n", ready.toMillis() / 1000.0, options.totalUnits(), service.rssMiB()));
            }
            measure(url, jdbc, service);
        } finally {
            if (service != null) {
                service.close();
            }
            if (manifest != null) {
                Files.deleteIfExists(manifest);
            }
        }
        summary();
        return result;
    }

    private void measure(String url, String jdbc, ServiceProcess service) throws Exception {
        int n = options.clients;
        int seconds = options.seconds;
        Api api = new Api(url, n);
        api.authenticate();
        DatabaseBaseline db = new DatabaseBaseline(jdbc, options.jdbcUser, options.jdbcPassword);
        // the baseline runs on the service's own PostgreSQL: both measure with these durability settings
        section("database settings (service and baseline): " + db.settings() + "\n");

        List<String> regions = new ArrayList<>();
        long units = 0;
        for (ReservationUnitV2 entry : api.catalog()) {
            if (Fixtures.ACCELERATOR.equals(entry.getAccelerator()) && Fixtures.UNIT.equals(entry.getUnit())) {
                regions.add(entry.getRegionId());
                units += entry.getAvailableUnitCount();
            }
        }
        out.printf("fleet: %d regions offer GB300/NVL72, %d units free%n", regions.size(), units);
        Workloads work = new Workloads(api, regions, options.listSize);
        ServiceJit jit = ServiceJit.of(service == null ? -1 : service.pid());

        int warmup = options.warmup();
        if (warmup > 0) {
            Stats warm = new Stats(Workloads.OPS);
            LoadPhase.run("warm-up (mixed, then create-only)", n, Math.max(1, warmup / 2), options.progressSeconds, warm,
                    i -> work.mixed(warm, "warmup", 1000 + i, i, n), out);
            Stats warmCreate = new Stats(Workloads.OPS);
            LoadPhase.run("warm-up (create-only)", n, Math.max(1, warmup - warmup / 2), options.progressSeconds,
                    warmCreate, i -> work.createOnly(warmCreate), out);
            settleJit(api, work, db, n, jit, units);
            // the create-only phase starts on an empty fleet: what the warm-up holds would otherwise cap its rate
            cleanUp(api, work, db, n, 0, false, "before the create-only phase");
        }
        drain(db, "after warm-up");

        result.database = db.run(n, seconds, Math.min(3, warmup), options.progressSeconds, out);
        section(result.database.table("database baseline: BEGIN; SELECT ... FOR UPDATE; INSERT; UPDATE; COMMIT "
                + "(one hot row, " + n + " connections)"));

        result.createOnly = new Stats(Workloads.OPS);
        double jitBefore = jit.cpuSeconds();
        long phaseStart = System.nanoTime();
        LoadPhase.run("create-only (count 1, round robin over " + regions.size() + " regions)", n, seconds,
                options.progressSeconds, result.createOnly, i -> work.createOnly(result.createOnly), out);
        section(result.createOnly.table("create-only phase, " + n + " clients"));
        section(jitLine(jit, jitBefore, phaseStart, "the phase"));
        long fleetFull = result.createOnly.refused("create");
        if (fleetFull > 0) {
            section(String.format(Locale.ROOT, "  the fleet filled during the create-only phase (%d creates refused): "
                    + "its creates/s is capped by the fleet, not the service; give --fleet more regions%n", fleetFull));
        }
        backlog(db, "after create-only");
        result.backlogDrainSeconds = drain(db, "after create-only");

        if (options.listSize > 0) {
            listPhase(api, work, n, db);
        }

        long fleetUnits = fleetUnits(api)[1];
        cleanUp(api, work, db, n, (long) (options.occupancy * fleetUnits), true, "before the mixed phase");
        long[] before = fleetUnits(api);
        long heldBefore = work.heldUnits();
        result.mixed = new Stats(Workloads.OPS);
        jitBefore = jit.cpuSeconds();
        phaseStart = System.nanoTime();
        LoadPhase.run("mixed (20% create 1-4 units, 40% get, 20% list by region+tag, 20% delete)", n, seconds,
                options.progressSeconds, result.mixed, i -> work.mixed(result.mixed, "mixed", 2000 + i, i, n), out);
        long[] after = fleetUnits(api);
        long heldAfter = work.heldUnits();
        section(result.mixed.table("mixed phase, " + n + " clients"));
        section(jitLine(jit, jitBefore, phaseStart, "the phase"));
        // a deleted reservation's units are free only once the reconciler has released them: when it lags, the
        // catalog's occupancy rises although the run holds no more than before
        section(String.format(Locale.ROOT, "  fleet occupancy: %.1f%% when the mixed phase started, %.1f%% when it "
                        + "ended (%d units, deleted units not yet released included); the run's live reservations "
                        + "held %d units at the start, %d at the end%n", occupancy(before), occupancy(after), before[1],
                heldBefore, heldAfter));

        if (options.openCreatesPerSecond > 0 || options.openGetsPerSecond > 0) {
            openLoopPhase(url, work, db, n, fleetUnits, jit);
        }
        if (service != null) {
            section(String.format(Locale.ROOT, "service RSS after load: %.0f MiB%n", service.rssMiB()));
        }

        Invariants invariants = new Invariants(api, db, out);
        out.println("checking invariants");
        invariants.converge(work, options.convergeTimeout);
        invariants.checkApi(work);
        invariants.checkDatabaseAndCatalog();
        result.broken.addAll(invariants.broken);
        result.passed.addAll(invariants.passed);
        StringBuilder lines = new StringBuilder("invariants:\n");
        invariants.passed.forEach(p -> lines.append("  ok      ").append(p).append('\n'));
        invariants.broken.forEach(b -> lines.append("  BROKEN  ").append(b).append('\n'));
        section(lines.toString());

        result.createPerSecond = result.createOnly.throughput("create");
        result.databasePerSecond = result.database.throughput("reserve");
        result.ratio = result.createPerSecond / result.databasePerSecond;
    }

    /**
     * The open-loop phase: creates and gets offered at fixed rates, together, latency counted from the scheduled
     * send time. First the fleet is brought back to the asked occupancy, or lower if the phase's creates would not
     * fit on top of it, so that they are measured as admissions rather than refusals.
     */
    private void openLoopPhase(String url, Workloads work, DatabaseBaseline db, int n, long fleetUnits,
                               ServiceJit jit) throws Exception {
        long needed = (long) options.openCreatesPerSecond * (options.openLeadIn + options.seconds);
        // a fifth of the fleet to spare: the kept reservations are spread over the regions unevenly, and a region
        // that fills up first would answer the phase's creates for it with refusals
        long keep = Math.max(0, Math.min((long) (options.occupancy * fleetUnits), fleetUnits - needed - fleetUnits / 5));
        Api api = new Api(url, 64);
        api.authenticate();
        cleanUp(api, work, db, n, keep, false, "before the open-loop phase");
        long[] before = fleetUnits(api);
        if (before[0] < needed) {
            section(String.format(Locale.ROOT, "  the fleet has room for %d of the %d creates the open-loop phase "
                    + "offers: the rest will be refused (507)%n", before[0], needed));
        }
        int gets = work.getPool.isEmpty() ? 0 : options.openGetsPerSecond;
        if (gets == 0 && options.openGetsPerSecond > 0) {
            section("  no reservation left to get: the open-loop phase offers creates only\n");
        }
        result.open = new Stats("create", "get");
        Stats leadIn = new Stats("create", "get");
        List<OpenLoopPhase.Stream> streams = List.of(
                new OpenLoopPhase.Stream("create", options.openCreatesPerSecond, work.openCreate(api)),
                new OpenLoopPhase.Stream("get", gets, work.openGet(api, 3000)));
        double jitBefore = jit.cpuSeconds();
        long phaseStart = System.nanoTime();
        OpenLoopPhase.Timeline timeline = options.openTimeline == null ? null : new OpenLoopPhase.Timeline();
        double lag = OpenLoopPhase.run(String.format(Locale.ROOT, "open loop (%d creates/s and %d gets/s offered on "
                        + "schedule, latency from the scheduled send time)", options.openCreatesPerSecond, gets),
                streams, options.openLeadIn, options.seconds, 256, options.progressSeconds, leadIn, result.open,
                timeline, out);
        if (timeline != null) {
            timeline.write(options.openTimeline);
            out.printf("  wrote %d open-loop requests to %s%n", timeline.size(), options.openTimeline);
        }
        section(leadIn.table("open-loop lead-in, not measured (as wrk2's calibration period)"));
        long[] after = fleetUnits(api);
        section(result.open.table(String.format(Locale.ROOT, "open-loop phase, %d creates/s + %d gets/s offered "
                + "(latency from the scheduled send time, coordinated omission corrected)", options.openCreatesPerSecond,
                gets)));
        section(String.format(Locale.ROOT, "  fleet occupancy: %.1f%% when the open-loop phase started, %.1f%% when "
                        + "it ended; sends fell at most %.1f ms behind the schedule%n", occupancy(before), occupancy(after),
                lag));
        section(jitLine(jit, jitBefore, phaseStart, "the open loop, lead-in included"));
    }

    /**
     * Goes on warming up with create-only slices of 5 s until the service's JIT compilers use under a tenth of a core,
     * for at most {@code --jit-settle} seconds. On two cores, C2 was still compiling the create path a minute after a
     * start (35-40% of a core during the create-only phase after the fixed 30 s warm-up): without this, the phases
     * measure the JIT's warm-up as much as the service. The run holds no more than a third of the fleet: past that,
     * a slice is preceded by a clean-up.
     */
    private void settleJit(Api api, Workloads work, DatabaseBaseline db, int n, ServiceJit jit, long fleetUnits)
            throws Exception {
        if (options.jitSettleSeconds <= 0) {
            return;
        }
        if (jit.cpuSeconds() < 0) {
            section("warm-up: the service's JIT cannot be read (a service given by --url, or no /proc): the fixed "
                    + "warm-up only\n");
            return;
        }
        long start = System.nanoTime();
        long deadline = start + options.jitSettleSeconds * 1_000_000_000L;
        while (true) {
            if (work.heldUnits() > fleetUnits / 3) {
                cleanUp(api, work, db, n, 0, false, "during the warm-up");
            }
            double before = jit.cpuSeconds();
            long sliceStart = System.nanoTime();
            int slice = Math.max(1, Math.min(5, options.jitSettleSeconds));
            Stats stats = new Stats(Workloads.OPS);
            LoadPhase.run("warm-up until the JIT settles (create-only)", n, slice, options.progressSeconds, stats,
                    i -> work.createOnly(stats), out);
            double cores = (jit.cpuSeconds() - before) / ((System.nanoTime() - sliceStart) / 1e9);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (cores < 0.1) {
                section(String.format(Locale.ROOT, "warm-up: the service's JIT settled after %.0f s more (its "
                        + "compilers used %.1f%% of a core in the last slice)%n", seconds, cores * 100));
                return;
            }
            if (System.nanoTime() >= deadline) {
                section(String.format(Locale.ROOT, "warm-up: the service's JIT did not settle in %.0f s more (its "
                        + "compilers used %.1f%% of a core in the last slice): the phases measure it still "
                        + "compiling%n", seconds, cores * 100));
                return;
            }
            out.printf(Locale.ROOT, "  the service's JIT compilers used %.1f%% of a core%n", cores * 100);
        }
    }

    /**
     * The CPU the service's JIT compilers used since {@code before} was read at {@code since}, as a report line about
     * {@code what}; empty when they cannot be read.
     */
    private static String jitLine(ServiceJit jit, double before, long since, String what) {
        double after = jit.cpuSeconds();
        if (before < 0 || after < 0) {
            return "";
        }
        return String.format(Locale.ROOT, "  the service's JIT compilers used %.1f%% of a core during %s%n",
                100 * (after - before) / ((System.nanoTime() - since) / 1e9), what);
    }

    /** Free and total units of the benchmark's unit type over every region. */
    private static long[] fleetUnits(Api api) {
        long free = 0;
        long total = 0;
        for (ReservationUnitV2 entry : api.catalog()) {
            if (Fixtures.ACCELERATOR.equals(entry.getAccelerator()) && Fixtures.UNIT.equals(entry.getUnit())) {
                free += entry.getAvailableUnitCount();
                total += entry.getTotalCount();
            }
        }
        return new long[] {free, total};
    }

    private static double occupancy(long[] units) {
        return units[1] == 0 ? Double.NaN : 100.0 * (units[1] - units[0]) / units[1];
    }

    /**
     * Brings what the run holds of the fleet to {@code keepUnits}, unmeasured. With {@code fill}, half of it is kept
     * from the earlier phases (for gets) and the other half is made of fresh reservations of 1 to 4 units, handed to
     * the mixed phase's clients as their own: their deletes then free on average what their creates take, from the
     * first step, and the occupancy holds steady. Without, up to {@code keepUnits} is kept, all for gets. Everything
     * else is deleted, and the reconciler is waited for, since a deleted unit is free only once the platform has it.
     */
    private void cleanUp(Api api, Workloads work, DatabaseBaseline db, int n, long keepUnits, boolean fill,
                         String when) throws Exception {
        long keepForGets = fill ? keepUnits / 2 : keepUnits;
        List<String> keep = new ArrayList<>();
        List<String> surplus = new ArrayList<>();
        long held = 0;
        for (Map.Entry<String, Integer> live : new TreeMap<>(work.liveUnits).entrySet()) {
            if (held + live.getValue() <= keepForGets) {
                keep.add(live.getKey());
                held += live.getValue();
            } else {
                surplus.add(live.getKey());
            }
        }
        long start = System.nanoTime();
        ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>(surplus);
        AtomicLong refused = new AtomicLong();
        inParallel(n, "clean-up", () -> {
            for (String id; (id = queue.poll()) != null; ) {
                if (!work.deleteUnmeasured(id)) {
                    refused.incrementAndGet();
                }
            }
        });
        work.getPool = List.copyOf(keep);
        section(String.format(Locale.ROOT, "clean-up %s: deleted %d reservations in %.1f s (%d deletes not accepted), "
                        + "kept %d reservations of %d units for gets%n", when, surplus.size() - refused.get(),
                (System.nanoTime() - start) / 1e9, refused.get(), keep.size(), held));
        drain(db, "after the clean-up " + when);
        List<String> owned = Collections.synchronizedList(new ArrayList<>());
        if (fill && held < keepUnits) {
            long fillStart = System.nanoTime();
            AtomicLong holding = new AtomicLong(held);
            AtomicLong fillRefused = new AtomicLong();
            AtomicInteger seed = new AtomicInteger(4000);
            inParallel(n, "fill", () -> {
                SplittableRandom random = new SplittableRandom(seed.getAndIncrement());
                while (holding.get() < keepUnits && fillRefused.get() < 100) {
                    int count = 1 + random.nextInt(4);
                    String id = work.createUnmeasured(random, count);
                    if (id == null) {
                        fillRefused.incrementAndGet();
                    } else {
                        owned.add(id);
                        holding.addAndGet(count);
                    }
                }
            });
            section(String.format(Locale.ROOT, "  filled the fleet up with %d reservations of 1-4 units in %.1f s: the "
                            + "run holds %d units (target %d)%n", owned.size(), (System.nanoTime() - fillStart) / 1e9,
                    holding.get(), keepUnits));
            drain(db, "after filling up " + when);
        }
        work.owned = List.copyOf(owned);
    }

    private static void inParallel(int threads, String name, Runnable body) throws InterruptedException {
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(body, name + "-" + i);
            t.setDaemon(true);
            started.add(t);
            t.start();
        }
        for (Thread t : started) {
            t.join();
        }
    }

    /** The list phase: a set of exactly listSize reservations, then timed lists of that set by one client. */
    private void listPhase(Api api, Workloads work, int n, DatabaseBaseline db) throws Exception {
        long units = 0;
        for (ReservationUnitV2 entry : api.catalog()) {
            units += entry.getAvailableUnitCount();
        }
        Stats topUp = new Stats(Workloads.OPS);
        if (!work.listSetComplete()) {
            out.printf("list phase: topping the list set up to %d reservations (%d units free)%n", options.listSize, units);
            long deadline = System.nanoTime() + Duration.ofSeconds(options.listTopUpSeconds).toNanos();
            while (!work.listSetComplete() && System.nanoTime() < deadline) {
                LoadPhase.run("list set top-up", n, 5, options.progressSeconds, topUp, i -> work.listTopUp(topUp), out);
                if (topUp.errors("create") > 100) {
                    break;
                }
            }
        }
        // as before every other measured phase: the top-up's provisioning is not left running under the lists
        drain(db, "after the list top-up");
        Stats list = new Stats("list");
        int size = -1;
        List<Map.Entry<String, String>> query = List.of(Map.entry("tag", "set=list"));
        // warm the list's own path, as every measured phase is warmed: by time, at least 3 calls
        long warmUntil = System.nanoTime() + Duration.ofSeconds(options.listWarmupSeconds).toNanos();
        int warmCalls = 0;
        while (warmCalls < 3 || System.nanoTime() < warmUntil) {
            api.list(query);
            warmCalls++;
        }
        list.start();
        for (int i = 0; i < options.listRepeats; i++) {
            Api.Answer answer = api.list(query);
            if (answer.status() == 200) {
                list.success("list", answer.nanos());
                size = answer.arraySize();
            } else {
                list.failure("list", answer.status());
            }
        }
        list.end();
        result.listMillisP50 = list.millis("list", 50);
        section(list.table(String.format(Locale.ROOT, "list phase: GET /api/v2/reservations?tag=set%%3Dlist returning "
                + "%d reservations, %d sequential calls after %d untimed", size, options.listRepeats, warmCalls)));
        if (size != work.listSetSize()) {
            result.broken.add("the list set holds " + size + " reservations, expected " + work.listSetSize());
        }
        if (size < options.listSize) {
            section("  (the top-up was stopped after " + options.listTopUpSeconds + " s: the list returned " + size
                    + " instead of " + options.listSize + " reservations)\n");
        }
    }

    /** Prints how much reconciler work is queued. */
    private void backlog(DatabaseBaseline db, String when) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM work_item")) {
            rs.next();
            section(String.format(Locale.ROOT, "reconciler backlog %s: %d work items%n", when, rs.getLong(1)));
        }
    }

    /**
     * Waits (bounded) until the reconciler has no work left, so the next phase starts from a quiet service;
     * returns how long that took, in seconds.
     */
    private double drain(DatabaseBaseline db, String when) throws Exception {
        long start = System.nanoTime();
        long first = -1;
        long deadline = start + options.convergeTimeout.toNanos();
        while (true) {
            long items;
            try (Connection c = db.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM work_item")) {
                rs.next();
                items = rs.getLong(1);
            }
            if (first < 0) {
                first = items;
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (items == 0) {
                if (first > 0) {
                    section(String.format(Locale.ROOT, "reconciler drained %d work items %s in %.2f s (%.0f items/s)%n",
                            first, when, elapsed, first / Math.max(elapsed, 0.001)));
                }
                return elapsed;
            }
            if (System.nanoTime() > deadline) {
                section(String.format(Locale.ROOT, "reconciler: %d of %d work items still queued %.0f s %s; going on%n",
                        items, first, elapsed, when));
                return elapsed;
            }
            Thread.sleep(50);
        }
    }

    /** An unchanged service (demo fleet, every default): first start, idle RSS, pending to provisioned, restart. */
    private void probeDefaults() throws Exception {
        out.println("probing a service with every default (demo fleet, simulated provider defaults)");
        try (ServiceProcess service = service(null)) {
            Duration first = service.start(Duration.ofSeconds(300));
            Thread.sleep(2000);
            double idle = service.rssMiB();
            Api api = new Api(service.url(), 1);
            api.authenticate();
            String region = Fixtures.DOCS_REGION;
            List<Double> times = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                Api.Answer created = api.create(Api.createBody("probe-" + i, region, 1, Map.of("bench", "probe")));
                if (created.status() != 202) {
                    throw new IllegalStateException("probe create answered " + created.status() + ": " + created.text());
                }
                String id = Workloads.id(created);
                while (true) {
                    Api.Answer got = api.get(id);
                    if (got.status() == 200 && got.json().get("metadata").get("provisioningStatus").asString()
                            .equals("provisioned")) {
                        times.add((System.nanoTime() - start) / 1e6);
                        break;
                    }
                    if (System.nanoTime() - start > 60_000_000_000L) {
                        throw new IllegalStateException("probe reservation " + id + " not provisioned within 60 s");
                    }
                    Thread.sleep(5);
                }
                api.delete(id);
            }
            double afterProbe = service.rssMiB();
            service.stop();
            Duration restart = service.start(Duration.ofSeconds(300));
            Thread.sleep(2000);
            double idleRestart = service.rssMiB();
            times.sort(Double::compare);
            section(String.format(Locale.ROOT, """
                    service with every default:
                      ready after first start (fresh data dir: initdb, migrations, demo fleet): %.1f s
                      ready after restart (same data dir): %.1f s
                      idle RSS after first start: %.0f MiB; after restart: %.0f MiB; after the probe: %.0f MiB
                      pending -> provisioned (create to the first GET showing provisioned, 5 sequential 1-unit creates,
                        simulated provider defaults): %s ms
                    """, first.toMillis() / 1000.0, restart.toMillis() / 1000.0, idle, idleRestart, afterProbe,
                    times.stream().map(t -> String.format(Locale.ROOT, "%.0f", t)).toList()));
        }
    }

    /**
     * A service from the jar in a temporary directory: the given fleet with the JVM options asked for, else the demo
     * fleet with JVM defaults (the probe of an unchanged service).
     */
    private ServiceProcess service(Path manifest) {
        ServiceProcess service = ServiceProcess.create("bench").jar(options.jar).jvmOptions()
                .keepFiles(System.getenv("RINGFENCE_BENCH_KEEP") != null);
        return manifest == null ? service
                : service.jvmOptions(options.serviceJvmArgs.toArray(String[]::new)).fleet(manifest);
    }

    private void summary() {
        StringBuilder s = new StringBuilder();
        if (!result.broken.isEmpty()) {
            s.append("INVARIANTS BROKEN:\n");
            result.broken.forEach(b -> s.append("  ").append(b).append('\n'));
        } else {
            s.append("all invariants hold\n");
        }
        s.append(String.format(Locale.ROOT, "clients: %d, measured phases: %d s each%n", options.clients, options.seconds));
        s.append(String.format(Locale.ROOT, "reconciler backlog drained %.2f s after the create-only phase%n",
                result.backlogDrainSeconds));
        s.append(String.format(Locale.ROOT, "database reserve transactions/s: %.1f%n", result.databasePerSecond));
        s.append(String.format(Locale.ROOT, "create reservations/s: %.1f%n", result.createPerSecond));
        // these four lines close every run, in this order: tools read them
        s.append(String.format(Locale.ROOT, "create p99 ms at %d/s: %.2f%n", options.openCreatesPerSecond,
                result.open == null ? Double.NaN : result.open.millis("create", 99)));
        s.append(String.format(Locale.ROOT, "get p99 ms at %d/s: %.2f%n", options.openGetsPerSecond,
                result.open == null ? Double.NaN : result.open.millis("get", 99)));
        s.append(String.format(Locale.ROOT, "list of %d p50 ms: %.2f%n", options.listSize, result.listMillisP50));
        s.append(String.format(Locale.ROOT, "ratio create/database: %.3f%n", result.ratio));
        section(s.toString());
    }

    private void section(String text) {
        out.print(text);
        out.flush();
        result.report.append(text);
    }

    static String machine() {
        long memKiB = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    memKiB = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // not Linux
        }
        return String.format(Locale.ROOT, "machine: %d cores, %.1f GiB memory, Java %s (%s)%n",
                Runtime.getRuntime().availableProcessors(), memKiB / 1024.0 / 1024.0, System.getProperty("java.version"),
                System.getProperty("java.vm.name"));
    }
}
