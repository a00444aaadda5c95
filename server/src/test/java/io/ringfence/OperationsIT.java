package io.ringfence;

import static io.ringfence.testkit.Fixtures.DEMO_ORG;
import static io.ringfence.testkit.Fixtures.DEMO_PROJECT;
import static io.ringfence.testkit.Fixtures.DOCS_REGION;
import static io.ringfence.testkit.Fixtures.SECOND_REGION;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.support.Reservations;
import io.ringfence.testkit.Await;
import io.ringfence.testkit.Fixtures;
import io.ringfence.testkit.RawHttp;
import io.ringfence.testkit.ServiceProcess;
import io.ringfence.testkit.Tokens;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;

/**
 * Ringfence as a platform team runs it, against a PostgreSQL of its own (started here, so the test can stop
 * and start it): metrics that match the catalog, JSON logs that carry the trace ID and no token, readiness
 * that follows the database, and a SIGTERM in the middle of a burst of creates that loses nothing.
 *
 * <p>A process of its own: an external PostgreSQL that the test stops and starts, log files read line by line,
 * and a SIGTERM at the end.
 */
class OperationsIT {

    /** A region of this test's own, sized so that every create of the burst fits in it. */
    static final String BURST_REGION = "test-burst";
    static final int BURST_UNITS = 40;

    @Test
    void metricsLogsReadinessAndGracefulShutdown() throws Exception {
        Path pgDir = Files.createTempDirectory("ringfence-external-pg");
        int pgPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            pgPort = socket.getLocalPort();
        }
        EmbeddedPostgres postgres = startPostgres(pgDir, pgPort);
        Path fleet = fleetWithBurstRegion();
        String jdbcUrl = "jdbc:postgresql://localhost:" + pgPort + "/postgres";
        try (ServiceProcess service = ServiceProcess.create("operations").fleet(fleet).quickPlatform()) {
            service.env("SPRING_DATASOURCE_URL", jdbcUrl).env("SPRING_DATASOURCE_USERNAME", "postgres")
                    .env("SPRING_DATASOURCE_PASSWORD", "")
                    .env("RINGFENCE_DEMO_IDENTITIES", "true").property("ringfence.metrics.capacity-refresh", "0s")
                    .start();
            RawHttp api = service.http();
            String token = Tokens.fetch(api.baseUrl(), Fixtures.DEMO_CLIENT);

            // capacity gauges equal the catalog, after creates and a delete
            String kept = Reservations.create(api, token, Reservations.body("metered", DEMO_ORG, DEMO_PROJECT,
                    DOCS_REGION, 2, List.of())).get("metadata").get("id").asString();
            String gone = Reservations.create(api, token, Reservations.body("metered-gone", DEMO_ORG, DEMO_PROJECT,
                    SECOND_REGION, 3, List.of())).get("metadata").get("id").asString();
            Reservations.deleteAndAwaitGone(api, token, gone);
            String metrics = api.get(Tokens.fetch(api.baseUrl(), Fixtures.METRICS_CLIENT), "/actuator/prometheus").text();
            for (JsonNode unit : api.get(token, "/api/v2/reservation-units").json()) {
                String region = unit.get("regionId").asString();
                assertThat(gauge(metrics, "ringfence_capacity_units", region, "available"))
                        .as("available in %s", region).isEqualTo(unit.get("availableUnitCount").asDouble());
                assertThat(gauge(metrics, "ringfence_capacity_units", region, "total"))
                        .isEqualTo(unit.get("totalCount").asDouble());
                assertThat(gauge(metrics, "ringfence_capacity_largest_contiguous_units", region, null))
                        .isEqualTo(unit.get("largestContiguousUnitCount").asDouble());
            }
            assertThat(gauge(metrics, "ringfence_capacity_units", DOCS_REGION, "claimed")).isEqualTo(2.0);
            assertThat(metrics).contains("http_server_requests_seconds_bucket").contains("ringfence_admission_total")
                    .contains("ringfence_tokens_issued_total").contains("ringfence_provider_operations_seconds_count")
                    .contains("ringfence_reconciler_queue_depth").doesNotContain(token)
                    // requests are timed, but not each tracked while in flight (application.yaml: ignored-meters)
                    .doesNotContain("http_server_requests_active_seconds");

            // a failed request: its trace ID is in the error body and in one JSON log line, with the route
            RawHttp.Response bad = api.post(token, "/api/v2/reservations", "{\"metadata\":{}}");
            assertThat(bad.status()).isEqualTo(400);
            String traceId = bad.json().get("trace_id").asString();
            String line = Await.until(() -> service.logLines().stream()
                            .filter(l -> l.contains(traceId) && l.contains("\"route\"")).findFirst().orElse(null),
                    l -> l != null, "the request's log line");
            JsonNode logged = RawHttp.json().readTree(line);
            assertThat(logged.toString()).contains("/api/v2/reservations").contains("400").contains("POST");
            assertThat(String.join("\n", service.logLines())).doesNotContain(token).doesNotContain("ringfence-demo-secret");

            // readiness follows the database, without a restart
            assertThat(api.get(null, "/actuator/health/readiness").status()).isEqualTo(200);
            postgres.close();
            Await.until(() -> api.get(null, "/actuator/health/readiness").status(), s -> s == 503, "readiness down");
            assertThat(api.get(null, "/actuator/health/liveness").status()).isEqualTo(200);
            RawHttp.Response whileDown = api.post(token, "/api/v2/reservations", Reservations.body("while-down",
                    DEMO_ORG, DEMO_PROJECT, DOCS_REGION, 1, List.of()));
            assertThat(whileDown.status()).isEqualTo(500);
            assertThat(whileDown.json().get("error").asString()).isEqualTo("server_error");
            postgres = startPostgres(pgDir, pgPort);
            Await.until(() -> api.get(null, "/actuator/health/readiness").status(), s -> s == 200, "readiness up");
            Reservations.awaitStatus(api, token, kept, "provisioned");

            // SIGTERM during a burst of creates that all fit: what is in flight then is work being accepted, not
            // refusals. Every 202 is in the database afterwards and converges after a restart; nothing is 5xx.
            List<String> accepted = Collections.synchronizedList(new ArrayList<>());
            List<Integer> answers = Collections.synchronizedList(new ArrayList<>());
            List<String> failedBeforeSigterm = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger tickets = new AtomicInteger(BURST_UNITS);
            AtomicBoolean sigtermSent = new AtomicBoolean();
            AtomicInteger acceptedAfterSigterm = new AtomicInteger();
            CountDownLatch someAccepted = new CountDownLatch(BURST_UNITS / 4);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                clients.add(pool.submit(() -> {
                    while (tickets.getAndDecrement() > 0) {
                        RawHttp.Response response;
                        try {
                            response = api.post(token, "/api/v2/reservations", Reservations.body(
                                    "burst", DEMO_ORG, DEMO_PROJECT, BURST_REGION, 1, List.of()));
                        } catch (RuntimeException refused) {
                            if (!sigtermSent.get()) {
                                failedBeforeSigterm.add(refused.toString());
                            }
                            return; // the listener is closed: the service is going
                        }
                        answers.add(response.status());
                        if (response.status() == 202) {
                            boolean late = sigtermSent.get();
                            accepted.add(response.json().get("metadata").get("id").asString());
                            if (late) {
                                acceptedAfterSigterm.incrementAndGet();
                            }
                            someAccepted.countDown();
                        }
                    }
                }));
            }
            assertThat(someAccepted.await(60, TimeUnit.SECONDS)).as("a quarter of the burst accepted").isTrue();
            sigtermSent.set(true);
            int exit = service.stop();
            for (Future<?> client : clients) {
                client.get();
            }
            pool.shutdown();
            // the JVM ends on SIGTERM through its shutdown hooks (Spring's graceful shutdown among them) and then
            // exits 128 + 15, as for any process ended by that signal; 137 would mean SIGKILL after the stop timed out
            assertThat(exit).as("exit code after SIGTERM").isEqualTo(143);
            assertThat(String.join("\n", service.logLines())).contains("Graceful shutdown complete");
            assertThat(failedBeforeSigterm).as("connections refused before the SIGTERM").isEmpty();
            assertThat(answers).as("every answer of the burst: it fits the region, so nothing is refused or fails")
                    .isNotEmpty().containsOnly(202);
            assertThat(acceptedAfterSigterm.get()).as("creates in flight at the SIGTERM that were answered 202")
                    .isPositive();
            JdbcClient db = JdbcClient.create(new SingleConnectionDataSource(jdbcUrl, "postgres", "", true));
            for (String id : new ArrayList<>(accepted)) {
                // there, with all of its claims
                List<Integer> claims = db.sql("""
                                SELECT r.claimed_unit_count FROM reservation r WHERE r.id = ?
                                  AND r.claimed_unit_count = (SELECT count(*) FROM unit_claim c WHERE c.reservation_id = r.id)""")
                        .param(id).query(Integer.class).list();
                assertThat(claims).as("reservation %s was answered 202 and must be in the database", id).hasSize(1);
            }
            assertThat(db.sql("SELECT count(*) FROM work_item WHERE leased_by IS NOT NULL").query(Long.class).single())
                    .as("leases handed back on shutdown").isZero();

            service.start();
            for (String id : new ArrayList<>(accepted)) {
                Reservations.awaitStatus(api, token, id, "provisioned");
            }
        } finally {
            postgres.close();
            FileSystemUtils.deleteRecursively(pgDir);
            Files.deleteIfExists(fleet);
        }
    }

    /** The test fleet with {@link #BURST_REGION} added (it shares the fleet's unit type). */
    private static Path fleetWithBurstRegion() throws Exception {
        String fleet;
        try (InputStream in = OperationsIT.class.getClassLoader().getResourceAsStream("fleet/test-fleet.yaml")) {
            fleet = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path manifest = Files.createTempFile("ringfence-operations-fleet-", ".yaml");
        Files.writeString(manifest, fleet + """
                  - id: %s
                    name: burst
                    unitTypes:
                      - <<: *gb300
                        generate: {pods: 2, domainsPerPod: %d}
                """.formatted(BURST_REGION, BURST_UNITS / 2));
        return manifest;
    }

    private static EmbeddedPostgres startPostgres(Path dir, int port) throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false).setPort(port)
                .setPGStartupWait(Duration.ofSeconds(60)).start();
    }

    private static double gauge(String metrics, String name, String region, String state) {
        Pattern pattern = Pattern.compile("(?m)^" + name + "\\{([^}]*)\\} (\\S+)$");
        Matcher matcher = pattern.matcher(metrics);
        while (matcher.find()) {
            String labels = matcher.group(1);
            if (labels.contains("region=\"" + region + "\"") && (state == null || labels.contains("state=\"" + state + "\""))) {
                return Double.parseDouble(matcher.group(2));
            }
        }
        throw new AssertionError("no " + name + " for " + region + " " + state);
    }
}
