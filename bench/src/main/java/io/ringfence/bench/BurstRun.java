package io.ringfence.bench;

import io.ringfence.testkit.Fixtures;
import io.ringfence.testkit.PlatformJournal;
import io.ringfence.testkit.RawHttp;
import io.ringfence.testkit.ServiceProcess;
import io.ringfence.testkit.Tokens;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code ./bench/run burst [--count 96] [--latency 2s] [--clients 32]}: how fast a burst converges when every
 * platform operation takes real time. One region of 8 pods x 16 NVL72 domains; {@code count} single-unit
 * reservations created at once, then deleted at once. Prints when the last was {@code provisioned} after the
 * burst was accepted, and when every unit was free again after the deletes were accepted, beside the platform
 * latency; checks on the platform's journal that every unit was prepared and released exactly once and that no
 * more operations ran at once than the platform allows.
 */
public final class BurstRun {

    private final PrintStream out;
    private int count = 96;
    private Duration latency = Duration.ofSeconds(2);
    private int clients = 32;
    private Path jar = Path.of("server/target/ringfence.jar");
    private List<String> serviceProperties = new ArrayList<>();

    public BurstRun(PrintStream out) {
        this.out = out;
    }

    public static int main(String[] args, PrintStream out) throws Exception {
        BurstRun run = new BurstRun(out);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--count" -> run.count = Integer.parseInt(args[++i]);
                case "--latency" -> run.latency = Duration.parse("PT" + args[++i].toUpperCase(Locale.ROOT));
                case "--clients" -> run.clients = Integer.parseInt(args[++i]);
                case "--jar" -> run.jar = Path.of(args[++i]);
                case "--service" -> run.serviceProperties.add(args[++i]);
                default -> {
                    out.println("usage: burst [--count 96] [--latency 2s] [--clients 32] [--jar server/target/ringfence.jar] "
                            + "[--service name=value ...]");
                    return 2;
                }
            }
        }
        return run.run() ? 0 : 1;
    }

    public boolean run() throws Exception {
        Path manifest = Files.createTempFile("ringfence-burst-fleet-", ".yaml");
        FleetManifest.write(manifest, 1, 8, 16, 18);
        String region = FleetManifest.regionIds(1).get(0);
        String ms = latency.toMillis() + "ms";
        List<String> broken = new ArrayList<>();
        try (ServiceProcess service = ServiceProcess.create("burst").jar(jar).fleet(manifest)
                .property("ringfence.provider.simulated.prepare-unit", ms)
                .property("ringfence.provider.simulated.release-unit", ms)) {
            for (String property : serviceProperties) {
                service.property(property.substring(0, property.indexOf('=')), property.substring(property.indexOf('=') + 1));
            }
            service.start(Duration.ofMinutes(5));
            RawHttp api = service.http();
            String token = Tokens.fetch(api.baseUrl(), Fixtures.DEMO_CLIENT);
            out.printf(Locale.ROOT, "burst: %d single-unit reservations in one region of 8 pods x 16 domains, platform "
                    + "latency %s per unit, %d clients%n", count, ms, clients);

            List<String> ids = new ArrayList<>();
            long start = System.nanoTime();
            for (RawHttp.Response answer : all(i -> api.post(token, "/api/v2/reservations", body("burst-" + i, region)))) {
                if (answer.status() != 202) {
                    broken.add("a create answered " + answer.status() + ": " + answer.text());
                } else {
                    ids.add(answer.json().get("metadata").get("id").asString());
                }
            }
            long accepted = System.nanoTime();
            out.printf(Locale.ROOT, "burst: %d creates accepted in %.2f s%n", ids.size(), seconds(start, accepted));
            try (Connection db = service.database()) {
                double provisioned = awaitCount(db, "SELECT count(*) FROM reservation WHERE provisioning_status = "
                        + "'provisioned'", ids.size(), accepted, latency.multipliedBy(20).plusSeconds(60));
                out.printf(Locale.ROOT, "burst: last reservation provisioned %.2f s after the burst was accepted "
                        + "(%.1fx the platform latency)%n", provisioned, provisioned / (latency.toMillis() / 1000.0));

                long deleteStart = System.nanoTime();
                for (RawHttp.Response answer : all(i -> api.delete(token, "/api/v2/reservations/" + ids.get(i)))) {
                    if (answer.status() != 202) {
                        broken.add("a delete answered " + answer.status() + ": " + answer.text());
                    }
                }
                long deletesAccepted = System.nanoTime();
                out.printf(Locale.ROOT, "burst: %d deletes accepted in %.2f s%n", ids.size(),
                        seconds(deleteStart, deletesAccepted));
                double freed = awaitCount(db, "SELECT count(*) FROM unit_claim", 0, deletesAccepted,
                        latency.multipliedBy(20).plusSeconds(60));
                out.printf(Locale.ROOT, "burst: every unit free %.2f s after the deletes were accepted (%.1fx the "
                        + "platform latency)%n", freed, freed / (latency.toMillis() / 1000.0));
            }
            PlatformJournal journal = PlatformJournal.read(service.dataDir().resolve("simulated-platform"));
            check(broken, journal.startsPerKey("prepare-unit"), ids.size(), "prepared");
            check(broken, journal.startsPerKey("release-unit"), ids.size(), "released");
            int most = journal.mostRunningAtOnce(e -> e.kind().endsWith("-unit"), latency);
            out.printf(Locale.ROOT, "burst: at most %d platform operations ran at once (the platform allows 256)%n", most);
            if (most > 256) {
                broken.add(most + " operations ran at once, more than the platform's 256");
            }
        } finally {
            Files.deleteIfExists(manifest);
        }
        broken.forEach(b -> out.println("BROKEN: " + b));
        out.println(broken.isEmpty() ? "burst: every unit prepared and released exactly once" : "burst: FAILED");
        return broken.isEmpty();
    }

    private interface Call {
        RawHttp.Response call(int i) throws Exception;
    }

    private List<RawHttp.Response> all(Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<RawHttp.Response>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                futures.add(pool.submit(() -> call.call(n)));
            }
            List<RawHttp.Response> answers = new ArrayList<>();
            for (Future<RawHttp.Response> future : futures) {
                answers.add(future.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Seconds from {@code since} until the query first answers {@code wanted}; fails after {@code patience}. */
    private static double awaitCount(Connection db, String sql, long wanted, long since, Duration patience)
            throws Exception {
        long deadline = since + patience.toNanos();
        try (Statement statement = db.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = statement.executeQuery(sql)) {
                    rs.next();
                    if (rs.getLong(1) == wanted) {
                        return seconds(since, System.nanoTime());
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("not reached within " + patience + ": " + sql);
    }

    private static void check(List<String> broken, Map<String, Integer> starts, int expected, String what) {
        if (starts.size() != expected) {
            broken.add(starts.size() + " units " + what + " at the platform, expected " + expected);
        }
        starts.forEach((key, times) -> {
            if (times != 1) {
                broken.add(key + " " + what + " " + times + " times");
            }
        });
    }

    private static String body(String name, String region) {
        return """
                {"metadata":{"name":"%s"},"spec":{"organizationId":"%s","projectId":"%s","regionId":"%s",
                 "accelerator":"GB300","unit":"NVL72","count":1}}""".formatted(name, Fixtures.DEMO_ORG,
                Fixtures.DEMO_PROJECT, region);
    }

    private static double seconds(long from, long to) {
        return (to - from) / 1e9;
    }
}
