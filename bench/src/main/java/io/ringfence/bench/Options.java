package io.ringfence.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What one load run does. Defaults are the documented default run of {@code ./bench/run}. */
public final class Options {

    /** Length of each measured phase (database baseline, create-only, mixed). */
    public int seconds = 30;
    /** Concurrent clients (and JDBC connections for the baseline). */
    public int clients = 8;
    /** Warm-up before measuring; -1 means 30 s, or half the phase length for phases shorter than 30 s. */
    public int warmupSeconds = -1;
    /**
     * At most this many seconds of create-only warm-up after the fixed one, in slices of 5 s, until the service's JIT
     * compilers use under a tenth of a core (0: the fixed warm-up only).
     */
    public int jitSettleSeconds = 120;
    /** Target a running service instead of starting the jar. */
    public String url;
    /** JDBC URL of the service's PostgreSQL (needed with --url for the baseline and the database checks). */
    public String jdbcUrl;
    public String jdbcUser = "postgres";
    public String jdbcPassword = "";
    /** The service jar to start. */
    public Path jar = Path.of("server/target/ringfence.jar");
    /** Benchmark fleet: regions x pods x domains per pod x hosts per domain. */
    public int regions = 96;
    public int pods = 16;
    public int domainsPerPod = 16;
    public int hostsPerUnit = 2;
    /** Size of the list phase's set of reservations (0 skips the phase). */
    public int listSize = 10_000;
    /** At most this long to create the rest of the list set after the create-only phase. */
    public int listTopUpSeconds = 60;
    /** Timed list calls in the list phase. */
    public int listRepeats = 20;
    /**
     * Seconds of list calls before the timed ones. A fresh service's list settles after about a dozen calls (10,000
     * rows read and written per call, compiled by the JIT only then); the create phases' warm-up does not cover it.
     */
    public int listWarmupSeconds = 5;
    /** Probe a second, unchanged service (demo fleet, all defaults): start time, idle RSS, pending to provisioned. */
    public boolean defaultsProbe = true;
    /** Keep the simulated provider's default delays in the load service (the reconciler then lags far behind). */
    public boolean providerDefaults = false;
    /** Bounded wait for every accepted request to converge. */
    public Duration convergeTimeout = Duration.ofSeconds(180);
    /** Seconds between progress lines. */
    public int progressSeconds = 5;
    /** Further arguments for the started service. */
    public List<String> serviceArgs = new ArrayList<>();
    /** JVM options of the started service, e.g. a flight recording. */
    public List<String> serviceJvmArgs = new ArrayList<>();
    /**
     * Share of the fleet held by reservations when the mixed phase starts. The earlier phases leave far more behind
     * (at 32 clients the create-only phase fills the fleet), and a full fleet turns the mixed phase's creates into
     * refusals; the surplus is deleted first, and the mixed phase's creates and deletes then balance.
     */
    public double occupancy = 0.5;
    /** Offered rates of the open-loop phase (0 and 0 skips it). */
    public int openCreatesPerSecond = 200;
    public int openGetsPerSecond = 800;
    /** Seconds the open-loop schedule runs before its measured seconds (as wrk2's calibration period). */
    public int openLeadIn = 10;
    /**
     * Where to write every open-loop request (stream, scheduled send and answer, in ms from the measured part's
     * start): a stall's shape and its time, to set beside the service's and the database's own logs. Null: none.
     */
    public Path openTimeline;

    public int warmup() {
        if (warmupSeconds >= 0) {
            return warmupSeconds;
        }
        return seconds >= 30 ? 30 : Math.max(1, seconds / 2);
    }

    public int totalUnits() {
        return regions * pods * domainsPerPod;
    }

    static final String USAGE = """
            usage: bench/run [seconds] [clients] [options]        the default benchmark (ends with the ratio line)
                   bench/run churn [--seeds 5] [--requests 20000]  allocation quality (seeded churn simulation)
                   bench/run jmh [JMH options]                     allocator and topology hash micro benchmarks

            options of the load run:
              --url URL            target a running service instead of starting server/target/ringfence.jar
              --jdbc URL           its PostgreSQL (required with --url): baseline and database invariant checks
              --jdbc-user U, --jdbc-password P   (default postgres, empty)
              --warmup S           warm-up seconds (default 30; seconds/2 when seconds < 30)
              --jit-settle S       after the warm-up, at most S more seconds of create-only slices until the
                                   service's JIT compilers use under a tenth of a core (default 120; 0 skips)
              --fleet RxPxD[xH]    benchmark fleet: regions x pods x domains per pod [x hosts per unit, default 2]
                                   (default 96x16x16x2: 24,576 units, room for 800 creates/s
                                   in a 30 s create-only phase; e.g. 1x625x16 for one large region)
              --occupancy F        share of the fleet held when the mixed phase starts (default 0.5)
              --open-rate C/G      open-loop phase: creates/s and gets/s offered on schedule (default 200/800;
                                   0/0 skips the phase)
              --open-lead-in S     seconds the open-loop schedule runs, recorded apart, before its measured
                                   seconds (default 10, as wrk2's calibration period)
              --open-timeline FILE write every open-loop request to FILE (tab-separated: stream, scheduled send
                                   and answer in ms from the measured seconds' start; lead-in ones negative)
              --list-size N        reservations in the list phase (default 10000; 0 skips it)
              --list-topup S       at most S seconds of creates to complete the list set (default 60)
              --list-warmup S      seconds of untimed lists before the timed ones (default 5; 0 gives the 3 calls
                                   of earlier rounds)
              --no-defaults-probe  skip the probe of a second service with every default
              --provider-defaults  keep the simulated provider's delays (400 ms/300 ms) in the load service
              --converge-timeout S bounded wait for convergence (default 180)
              --jar PATH           service jar (default server/target/ringfence.jar)
              --service-arg ARG    extra argument for the started service (repeatable)
              --service-jvm-arg A  JVM option of the started service (repeatable), e.g.
                                   -XX:StartFlightRecording=filename=/tmp/ringfence.jfr,settings=profile
            """;

    public static Options parse(String[] args) {
        Options o = new Options();
        int positional = 0;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--url" -> o.url = args[++i];
                case "--jdbc" -> o.jdbcUrl = args[++i];
                case "--jdbc-user" -> o.jdbcUser = args[++i];
                case "--jdbc-password" -> o.jdbcPassword = args[++i];
                case "--warmup" -> o.warmupSeconds = Integer.parseInt(args[++i]);
                case "--jit-settle" -> o.jitSettleSeconds = Integer.parseInt(args[++i]);
                case "--list-size" -> o.listSize = Integer.parseInt(args[++i]);
                case "--list-topup" -> o.listTopUpSeconds = Integer.parseInt(args[++i]);
                case "--list-warmup" -> o.listWarmupSeconds = Integer.parseInt(args[++i]);
                case "--no-defaults-probe" -> o.defaultsProbe = false;
                case "--provider-defaults" -> o.providerDefaults = true;
                case "--converge-timeout" -> o.convergeTimeout = Duration.ofSeconds(Long.parseLong(args[++i]));
                case "--jar" -> o.jar = Path.of(args[++i]);
                case "--service-arg" -> o.serviceArgs.add(args[++i]);
                case "--service-jvm-arg" -> o.serviceJvmArgs.add(args[++i]);
                case "--occupancy" -> {
                    o.occupancy = Double.parseDouble(args[++i]);
                    if (!(o.occupancy >= 0 && o.occupancy < 1)) {
                        throw new IllegalArgumentException("--occupancy wants a share in [0, 1), e.g. 0.5");
                    }
                }
                case "--open-rate" -> {
                    String[] p = args[++i].split("/");
                    if (p.length != 2) {
                        throw new IllegalArgumentException("--open-rate wants CREATES/GETS per second, e.g. 200/800");
                    }
                    o.openCreatesPerSecond = Integer.parseInt(p[0]);
                    o.openGetsPerSecond = Integer.parseInt(p[1]);
                    if (o.openCreatesPerSecond < 0 || o.openGetsPerSecond < 0) {
                        throw new IllegalArgumentException("--open-rate wants rates >= 0");
                    }
                }
                case "--open-lead-in" -> {
                    o.openLeadIn = Integer.parseInt(args[++i]);
                    if (o.openLeadIn < 0) {
                        throw new IllegalArgumentException("--open-lead-in wants seconds >= 0");
                    }
                }
                case "--open-timeline" -> o.openTimeline = Path.of(args[++i]);
                case "--fleet" -> {
                    String[] p = args[++i].split("x");
                    if (p.length != 3 && p.length != 4) {
                        throw new IllegalArgumentException("--fleet wants RxPxD or RxPxDxH, e.g. 1x625x16 or 48x16x16x2");
                    }
                    o.regions = Integer.parseInt(p[0]);
                    o.pods = Integer.parseInt(p[1]);
                    o.domainsPerPod = Integer.parseInt(p[2]);
                    o.hostsPerUnit = p.length == 4 ? Integer.parseInt(p[3]) : 2;
                    if (o.regions < 1 || o.pods < 1 || o.domainsPerPod < 1 || o.hostsPerUnit < 1) {
                        throw new IllegalArgumentException("--fleet wants sizes >= 1");
                    }
                }
                default -> {
                    if (a.startsWith("-")) {
                        throw new IllegalArgumentException("unknown option " + a);
                    }
                    if (positional == 0) {
                        o.seconds = Integer.parseInt(a);
                    } else if (positional == 1) {
                        o.clients = Integer.parseInt(a);
                    } else {
                        throw new IllegalArgumentException("unexpected argument " + a);
                    }
                    positional++;
                }
            }
        }
        if (o.seconds < 1 || o.clients < 1) {
            throw new IllegalArgumentException("seconds and clients must be >= 1");
        }
        if (o.url != null && o.jdbcUrl == null) {
            throw new IllegalArgumentException("--url needs --jdbc (the baseline runs against the service's PostgreSQL)");
        }
        return o;
    }
}
