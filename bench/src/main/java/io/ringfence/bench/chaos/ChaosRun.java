package io.ringfence.bench.chaos;

import io.ringfence.bench.FleetManifest;
import io.ringfence.testkit.Await;
import io.ringfence.testkit.Fixtures;
import io.ringfence.testkit.RawHttp;
import io.ringfence.testkit.ServiceProcess;
import io.ringfence.testkit.Tokens;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * {@code ./bench/run chaos [rounds] [--clients 4] [--seed 1] [--load 4] [--jar server/target/ringfence.jar]}: the
 * crash harness. A mixed load of clients runs against the service while, each round, something dies abruptly:
 * the service ({@code kill -9}), its PostgreSQL ({@code pg_ctl stop -m immediate} or {@code kill -9} of the
 * postmaster, then started again), or one of two replicas over the one database. After the last round the
 * harness holds the service to what it acknowledged ({@link ChaosChecks}) and prints
 * {@code chaos: <rounds> rounds, <acknowledged> acknowledged, <lost> lost, <stuck> stuck}; it exits non-zero when
 * anything was lost or stuck.
 *
 * <p>The service runs against a PostgreSQL of the machine's own installation that the harness starts, so that the
 * database can be made to crash under it. Without one (no /usr/lib/postgresql/N/bin/pg_ctl, nor
 * RINGFENCE_PG_BIN) the service uses its embedded PostgreSQL and the database rounds become service kills.
 */
public final class ChaosRun {

    enum Kind {
        KILL("kill -9 of the service"),
        POSTGRES("PostgreSQL stopped abruptly"),
        REPLICA("one of two replicas killed");

        final String what;

        Kind(String what) {
            this.what = what;
        }
    }

    /** Pods of 8 units per region: room for the load's creates, so that most are admitted rather than refused. */
    private static final int PODS = 6;

    private final PrintStream out;
    private int rounds = 20;
    private int clients = 4;
    private long seed = 1;
    private Duration load = Duration.ofSeconds(4);
    private Path jar = Path.of("server/target/ringfence.jar");

    private final Ledger ledger = new Ledger();
    private final Map<Kind, Integer> roundsByKind = new EnumMap<>(Kind.class);
    private final List<String> roundStuck = new ArrayList<>();
    private Random random;
    private ServiceProcess a;
    private ServiceProcess b;
    /** The replica the load goes to; the other one (the spare) is down except in replica rounds. */
    private ServiceProcess primary;
    private ServiceProcess spare;
    private ExternalPostgres postgres;
    private volatile String token;

    ChaosRun(PrintStream out) {
        this.out = out;
    }

    public static int main(String[] args, PrintStream out) throws Exception {
        ChaosRun run = new ChaosRun(out);
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--clients" -> run.clients = Integer.parseInt(args[++i]);
                    case "--seed" -> run.seed = Long.parseLong(args[++i]);
                    case "--load" -> run.load = Duration.ofMillis((long) (Double.parseDouble(args[++i]) * 1000));
                    case "--jar" -> run.jar = Path.of(args[++i]);
                    default -> run.rounds = Integer.parseInt(args[i]);
                }
            }
        } catch (RuntimeException e) {
            out.println("usage: chaos [rounds (20)] [--clients 4] [--seed 1] [--load <seconds of load per round> (4)] "
                    + "[--jar server/target/ringfence.jar]");
            return 2;
        }
        return run.run() ? 0 : 1;
    }

    boolean run() throws Exception {
        long started = System.nanoTime();
        random = new Random(seed);
        Path home = Files.createTempDirectory("ringfence-chaos-");
        Path platform = Files.createDirectories(home.resolve("platform"));
        Path manifest = FleetManifest.write(home.resolve("fleet.yaml"), 2, PODS, 8, 2, Fixtures.DEMO_PROJECT);
        List<String> regions = FleetManifest.regionIds(2);
        Optional<Path> pgBin = ExternalPostgres.installation();
        ChaosChecks.Verdict verdict;
        try {
            if (pgBin.isPresent()) {
                postgres = ExternalPostgres.create(pgBin.get());
                postgres.start();
                out.println("chaos: PostgreSQL of " + pgBin.get() + " at " + postgres.jdbcUrl());
            } else {
                out.println("chaos: no PostgreSQL installation (/usr/lib/postgresql/N/bin); the service uses its embedded "
                        + "one and the database rounds become service kills");
            }
            a = configure(ServiceProcess.create("chaos-a"), manifest, platform);
            b = configure(ServiceProcess.create("chaos-b"), manifest, platform);
            String publicUrl = a.url();
            a.env("RINGFENCE_PUBLIC_URL", publicUrl);
            if (postgres != null) {
                external(a, postgres.jdbcUrl());
            }
            a.start();
            // the second replica: the same database, platform, issuer and signing key, a port of its own
            Files.createDirectories(b.dataDir().resolve("keys"));
            Files.copy(a.dataDir().resolve("keys/token-signing-key.json"), b.dataDir().resolve("keys/token-signing-key.json"));
            external(b, postgres != null ? postgres.jdbcUrl() : a.jdbcUrl()).env("RINGFENCE_PUBLIC_URL", publicUrl);
            primary = a;
            spare = b;
            token = Tokens.fetch(a.url(), Fixtures.DEMO_CLIENT);
            out.printf(Locale.ROOT, "chaos: %d rounds, %d clients, %.1f s of load per round, seed %d; fleet 2 regions x "
                    + "%d pods x 8 units; service home %s%n", rounds, clients, load.toMillis() / 1000.0, seed, PODS, a.home());

            List<ChaosClient> load = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                load.add(new ChaosClient(c, ledger, regions, () -> token, seed * 1000 + c));
            }
            for (int round = 1; round <= rounds; round++) {
                Kind kind = kindOf(round);
                long roundStart = System.nanoTime();
                long acknowledged = ledger.acknowledged.get();
                long unanswered = ledger.unanswered();
                // a fresh token from whichever replica runs: both sign with the one key, as one issuer
                token = Tokens.fetch(primary.url(), Fixtures.DEMO_CLIENT);
                String what = switch (kind) {
                    case KILL -> killRound(load);
                    case POSTGRES -> postgresRound(load, round);
                    case REPLICA -> replicaRound(load);
                };
                roundsByKind.merge(kind, 1, Integer::sum);
                out.printf(Locale.ROOT, "round %2d  %-28s %-66s %5.1f s  %3d acknowledged, %2d answers lost%n", round,
                        kind.what, what, (System.nanoTime() - roundStart) / 1e9, ledger.acknowledged.get() - acknowledged,
                        ledger.unanswered() - unanswered);
            }
            verdict = new ChaosChecks(ledger, primary, postgres != null ? postgres::connect : a::database, platform, out)
                    .check(token);
        } finally {
            for (ServiceProcess service : new ServiceProcess[] {a, b}) {
                if (service != null) {
                    service.close();
                }
            }
            if (postgres != null) {
                postgres.close();
            }
            deleteTree(home);
        }
        long stuck = verdict.stuck() + roundStuck.size();
        roundStuck.forEach(s -> out.println("  stuck: " + s));
        out.printf(Locale.ROOT, "rounds by kind: %s; %d requests refused as they should be (507, 409, 412, 422); "
                        + "duration %.0f s%n", roundsByKind, ledger.refused.get(), (System.nanoTime() - started) / 1e9);
        out.printf("chaos: %d rounds, %d acknowledged, %d lost, %d stuck%n", rounds, ledger.acknowledged.get(),
                verdict.lost(), stuck);
        return verdict.lost() == 0 && stuck == 0;
    }

    /** Two kills of the service for every database crash and every replica kill. */
    private Kind kindOf(int round) {
        Kind kind = switch (round % 4) {
            case 2 -> Kind.POSTGRES;
            case 0 -> Kind.REPLICA;
            default -> Kind.KILL;
        };
        return kind == Kind.POSTGRES && postgres == null ? Kind.KILL : kind;
    }

    private ServiceProcess configure(ServiceProcess service, Path manifest, Path platform) {
        // platform work takes long enough that kills land in the middle of it; the lease is short so that work a
        // killed instance held is taken over within the round, not after the default minute
        return service.jar(jar).fleet(manifest).quickPlatform()
                .property("ringfence.provider.simulated.state-dir", platform.toString())
                .property("ringfence.provider.simulated.prepare-unit", "300ms")
                .property("ringfence.provider.simulated.release-unit", "300ms")
                .property("ringfence.reconciler.lease", "3s");
    }

    private static ServiceProcess external(ServiceProcess service, String jdbcUrl) {
        return service.env("SPRING_DATASOURCE_URL", jdbcUrl).env("SPRING_DATASOURCE_USERNAME", "postgres")
                .env("SPRING_DATASOURCE_PASSWORD", "").env("RINGFENCE_DEMO_IDENTITIES", "true");
    }

    // ---------------------------------------------------------------- rounds

    private String killRound(List<ChaosClient> load) {
        List<RawHttp> targets = new CopyOnWriteArrayList<>(List.of(primary.http()));
        Load running = Load.start(load, this.load, () -> targets);
        long at = sleepRandom(300, this.load.toMillis() - 300);
        primary.kill();
        running.join();
        Duration ready = primary.start(Duration.ofMinutes(3));
        return String.format(Locale.ROOT, "killed at %.1f s, ready again after %.1f s", at / 1000.0,
                ready.toMillis() / 1000.0);
    }

    private String postgresRound(List<ChaosClient> load, int round) {
        RawHttp service = primary.http();
        List<RawHttp> targets = new CopyOnWriteArrayList<>(List.of(service));
        Load running = Load.start(load, this.load.plusSeconds(3), () -> targets);
        long at = sleepRandom(300, this.load.toMillis() - 300);
        boolean kill = (round / 4) % 2 == 1;
        if (kill) {
            postgres.killPostmaster();
        } else {
            postgres.stopImmediately();
        }
        Await.pause(1500);
        int readinessWhileDown = readiness(service);
        postgres.start();
        running.join();
        long back = System.nanoTime();
        long deadline = back + Duration.ofSeconds(90).toNanos();
        while (readiness(service) != 200) {
            if (System.nanoTime() > deadline) {
                roundStuck.add("round " + round + ": readiness not back within 90 s of PostgreSQL's restart");
                break;
            }
            Await.pause(200);
        }
        return String.format(Locale.ROOT, "%s at %.1f s; readiness %d while down, 200 %.1f s after load", kill
                ? "postmaster kill -9" : "pg_ctl stop -m immediate", at / 1000.0, readinessWhileDown,
                (System.nanoTime() - back) / 1e9);
    }

    /**
     * The spare starts next to the primary (a killed replica restarting while the other serves), both take load,
     * and one of them, chosen at random, is killed; the survivor finishes the dead one's work once its leases run
     * out, and carries on as the primary.
     */
    private String replicaRound(List<ChaosClient> load) {
        String joined = name(spare);
        Duration ready = spare.start(Duration.ofMinutes(3));
        List<RawHttp> targets = new CopyOnWriteArrayList<>(List.of(primary.http(), spare.http()));
        Load running = Load.start(load, this.load.plusSeconds(2), () -> targets);
        long at = sleepRandom(1000, this.load.toMillis());
        boolean killPrimary = random.nextBoolean();
        ServiceProcess victim = killPrimary ? primary : spare;
        targets.remove(killPrimary ? 0 : 1); // clients stop choosing the dead one; requests in flight to it are lost
        victim.kill();
        running.join();
        primary = killPrimary ? spare : primary;
        spare = victim;
        return String.format(Locale.ROOT, "%s joined (ready after %.1f s); %s killed at %.1f s", joined,
                ready.toMillis() / 1000.0, name(victim), at / 1000.0);
    }

    private String name(ServiceProcess replica) {
        return replica == a ? "replica a" : "replica b";
    }

    /** The readiness probe's status (-1 when nothing answers). */
    private static int readiness(RawHttp service) {
        try {
            return service.get(null, "/actuator/health/readiness").status();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private long sleepRandom(long fromMillis, long toMillis) {
        long millis = fromMillis + (long) (random.nextDouble() * Math.max(1, toMillis - fromMillis));
        Await.pause(millis);
        return millis;
    }

    /** The clients' threads for one round. */
    private record Load(List<Thread> threads) {
        static Load start(List<ChaosClient> clients, Duration length, Supplier<List<RawHttp>> targets) {
            long deadline = System.nanoTime() + length.toNanos();
            List<Thread> threads = new ArrayList<>();
            for (ChaosClient client : clients) {
                Thread thread = new Thread(() -> client.runUntil(deadline, targets), "chaos-client");
                thread.setDaemon(true);
                thread.start();
                threads.add(thread);
            }
            return new Load(threads);
        }

        void join() {
            for (Thread thread : threads) {
                try {
                    // a request to a dead replica may wait for its read timeout; the clients finish it first
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException | java.io.UncheckedIOException ignored) {
            // best effort
        }
    }
}
