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
import java.util.Map;

/**
 * The default benchmark, end to end: (optionally) a probe of an unchanged service, then the load service with
 * the benchmark fleet: warm-up, the database's own limit, create-only, the list phase, the mixed phase,
 * convergence and invariant checks. Ends with the line {@code ratio create/database: <number>}.
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
        section("database settings: " + db.settings() + "\n");

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

        int warmup = options.warmup();
        if (warmup > 0) {
            Stats warm = new Stats(Workloads.OPS);
            LoadPhase.run("warm-up (mixed, then create-only)", n, Math.max(1, warmup / 2), options.progressSeconds, warm,
                    i -> work.mixed(warm, "warmup", 1000 + i), out);
            Stats warmCreate = new Stats(Workloads.OPS);
            LoadPhase.run("warm-up (create-only)", n, Math.max(1, warmup - warmup / 2), options.progressSeconds,
                    warmCreate, i -> work.createOnly(warmCreate), out);
            work.createPhaseIds.clear();
        }
        drain(db, "after warm-up");

        result.database = db.run(n, seconds, Math.min(3, warmup), options.progressSeconds, out);
        section(result.database.table("database baseline: BEGIN; SELECT ... FOR UPDATE; INSERT; UPDATE; COMMIT "
                + "(one hot row, " + n + " connections)"));

        result.createOnly = new Stats(Workloads.OPS);
        LoadPhase.run("create-only (count 1, round robin over " + regions.size() + " regions)", n, seconds,
                options.progressSeconds, result.createOnly, i -> work.createOnly(result.createOnly), out);
        section(result.createOnly.table("create-only phase, " + n + " clients"));
        backlog(db, "after create-only");
        result.backlogDrainSeconds = drain(db, "after create-only");

        if (options.listSize > 0) {
            listPhase(api, work, n);
        }

        result.mixed = new Stats(Workloads.OPS);
        LoadPhase.run("mixed (20% create 1-4 units, 40% get, 20% list by region+tag, 20% delete)", n, seconds,
                options.progressSeconds, result.mixed, i -> work.mixed(result.mixed, "mixed", 2000 + i), out);
        section(result.mixed.table("mixed phase, " + n + " clients"));
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

    /** The list phase: a set of exactly listSize reservations, then timed lists of that set by one client. */
    private void listPhase(Api api, Workloads work, int n) throws Exception {
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
        Stats list = new Stats("list");
        int size = -1;
        List<Map.Entry<String, String>> query = List.of(Map.entry("tag", "set=list"));
        for (int i = 0; i < 3; i++) {
            api.list(query); // warm the path
        }
        list.start();
        for (int i = 0; i < options.listRepeats; i++) {
            Api.Answer answer = api.list(query);
            if (answer.status() == 200) {
                list.success("list", answer.nanos());
                size = answer.json().size();
            } else {
                list.failure("list", answer.status());
            }
        }
        list.end();
        section(list.table(String.format(Locale.ROOT, "list phase: GET /api/v2/reservations?tag=set%%3Dlist returning "
                + "%d reservations, %d sequential calls", size, options.listRepeats)));
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

    /** A service from the jar in a temporary directory: the given fleet (else the demo fleet), JVM defaults. */
    private ServiceProcess service(Path manifest) {
        ServiceProcess service = ServiceProcess.create("bench").jar(options.jar).jvmOptions()
                .keepFiles(System.getenv("RINGFENCE_BENCH_KEEP") != null);
        return manifest == null ? service : service.fleet(manifest);
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
