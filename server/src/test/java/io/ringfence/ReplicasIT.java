package io.ringfence;

import static io.ringfence.testkit.Fixtures.DEMO_ORG;
import static io.ringfence.testkit.Fixtures.DEMO_PROJECT;
import static io.ringfence.testkit.Fixtures.DOCS_REGION;
import static io.ringfence.testkit.Fixtures.SECOND_REGION;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.support.Reservations;
import io.ringfence.testkit.Await;
import io.ringfence.testkit.Clients;
import io.ringfence.testkit.Fixtures;
import io.ringfence.testkit.Invariants;
import io.ringfence.testkit.RawHttp;
import io.ringfence.testkit.ServiceProcess;
import io.ringfence.testkit.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.util.FileSystemUtils;

/**
 * Two replicas on one PostgreSQL and one platform, under concurrent creates and deletes sent to both: every
 * accepted request converges, nothing is overbooked, and the architecture's invariants 1 to 5 hold.
 *
 * <p>Processes of its own: two replicas sharing one PostgreSQL, one platform state directory and one signing key.
 */
class ReplicasIT {

    @Test
    void twoReplicasShareTheWorkAndNeverOverbook() throws Exception {
        Path platform = Files.createTempDirectory("ringfence-platform");
        try (ServiceProcess a = ServiceProcess.create("replica-a").fleetResource("fleet/test-fleet.yaml").quickPlatform();
             ServiceProcess b = ServiceProcess.create("replica-b").fleetResource("fleet/test-fleet.yaml").quickPlatform()) {
            String publicUrl = "http://localhost:" + a.port();
            a.property("ringfence.provider.simulated.state-dir", platform.toString())
                    .property("ringfence.provider.simulated.prepare-unit", "100ms")
                    .property("ringfence.provider.simulated.release-unit", "100ms")
                    .start();
            // the second replica: same database, same platform, same issuer and signing key, its own port
            Files.createDirectories(b.dataDir().resolve("keys"));
            Files.copy(a.dataDir().resolve("keys/token-signing-key.json"),
                    b.dataDir().resolve("keys/token-signing-key.json"));
            b.env("SPRING_DATASOURCE_URL", a.jdbcUrl()).env("SPRING_DATASOURCE_USERNAME", "postgres")
                    .env("SPRING_DATASOURCE_PASSWORD", "")
                    .env("RINGFENCE_DEMO_IDENTITIES", "true").env("RINGFENCE_PUBLIC_URL", publicUrl)
                    .property("ringfence.provider.simulated.state-dir", platform.toString())
                    .property("ringfence.provider.simulated.prepare-unit", "100ms")
                    .property("ringfence.provider.simulated.release-unit", "100ms")
                    .start();
            List<RawHttp> replicas = List.of(a.http(), b.http());
            String token = Tokens.fetch(a.url(), Fixtures.DEMO_CLIENT);

            int clients = 8;
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<String>>> results = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                results.add(pool.submit(() -> {
                    Random random = new Random(client);
                    List<String> kept = new ArrayList<>();
                    start.await();
                    for (int i = 0; i < 20; i++) {
                        RawHttp via = replicas.get(random.nextInt(2));
                        String region = random.nextBoolean() ? DOCS_REGION : SECOND_REGION;
                        RawHttp.Response created = via.post(token, "/api/v2/reservations", Reservations.body(
                                "replica-" + client + "-" + i, DEMO_ORG, DEMO_PROJECT, region, 1 + random.nextInt(2),
                                List.of()));
                        assertThat(created.status()).as(created.toString()).isIn(202, 507);
                        if (created.status() == 202) {
                            String id = created.json().get("metadata").get("id").asString();
                            if (random.nextInt(3) > 0) {
                                RawHttp other = replicas.get(random.nextInt(2));
                                assertThat(other.delete(token, "/api/v2/reservations/" + id).status()).isEqualTo(202);
                            } else {
                                kept.add(id);
                            }
                        }
                    }
                    return kept;
                }));
            }
            start.countDown();
            List<String> kept = new ArrayList<>();
            for (Future<List<String>> result : results) {
                kept.addAll(result.get());
            }
            pool.shutdown();

            Invariants invariants = Invariants.of(a.jdbcUrl());
            Await.until(invariants::queuedWork, n -> n == 0, "both replicas to drain the work queue");
            JdbcClient db = JdbcClient.create(new SingleConnectionDataSource(a.jdbcUrl(), "postgres", "", true));
            // invariant 4: every accepted request converged; kept ones provisioned, deleted ones gone
            for (String id : kept) {
                assertThat(a.http().get(token, "/api/v2/reservations/" + id).json().get("metadata")
                        .get("provisioningStatus").asString()).isEqualTo("provisioned");
            }
            assertThat(db.sql("SELECT id FROM reservation").query(String.class).list())
                    .containsExactlyInAnyOrderElementsOf(kept);
            // invariants 1 and 2: one claim per unit, exactly claimedUnitCount (= count) units per reservation, one
            // pod each; invariant 5 and the platform: units held at the platform are exactly the claimed ones, each
            // prepared once; the catalog adds up on both replicas
            invariants.claimsAreConsistent().everyReservationHoldsItsCount()
                    .platformHoldsExactlyTheClaims(platform);
            for (ServiceProcess replica : List.of(a, b)) {
                Clients.Ringfence client = Clients.connect(replica.url(), token);
                invariants.catalogAddsUp(() -> call(() -> client.units().listReservationUnits(null, null, null)));
            }
            invariants.assertAllHold();
            // both replicas did reconciler work; report the longest queue wait each saw
            List<Double> waits = new ArrayList<>();
            for (RawHttp replica : replicas) {
                String metrics = replica.get(Tokens.fetch(a.url(), Fixtures.OPERATOR_CLIENT), "/actuator/prometheus").text();
                Matcher count = Pattern.compile("(?m)^ringfence_reconciler_queue_wait_seconds_count(?:\\{[^}]*\\})? (\\S+)").matcher(metrics);
                assertThat(count.find()).as("queue wait metric exported").isTrue();
                assertThat(Double.parseDouble(count.group(1))).as("work done by each replica").isPositive();
                Matcher max = Pattern.compile("(?m)^ringfence_reconciler_queue_wait_seconds_max(?:\\{[^}]*\\})? (\\S+)").matcher(metrics);
                if (max.find()) {
                    waits.add(Double.parseDouble(max.group(1)));
                }
            }
            System.out.println("ReplicasIT: kept " + kept.size() + " reservations; longest queue wait per replica (s): "
                    + waits + ", max " + (waits.isEmpty() ? "n/a" : Collections.max(waits)));
        } finally {
            FileSystemUtils.deleteRecursively(platform);
        }
    }

    /**
     * Both replicas start platform work that takes seconds; one is killed ({@code kill -9}) while work it started
     * is in flight. The other takes over once the dead replica's leases run out and finishes everything: every
     * reservation is provisioned, and the platform's journal shows every unit prepared exactly once.
     */
    @Test
    void whenAReplicaDiesWithWorkInFlightTheOtherFinishesIt() throws Exception {
        Path platform = Files.createTempDirectory("ringfence-platform");
        try (ServiceProcess a = ServiceProcess.create("survivor").fleetResource("fleet/test-fleet.yaml").quickPlatform();
             ServiceProcess b = ServiceProcess.create("doomed").fleetResource("fleet/test-fleet.yaml").quickPlatform()) {
            for (ServiceProcess replica : List.of(a, b)) {
                replica.property("ringfence.provider.simulated.state-dir", platform.toString())
                        .property("ringfence.provider.simulated.prepare-unit", "3s")
                        .property("ringfence.reconciler.lease", "3s");
            }
            a.start();
            Files.createDirectories(b.dataDir().resolve("keys"));
            Files.copy(a.dataDir().resolve("keys/token-signing-key.json"),
                    b.dataDir().resolve("keys/token-signing-key.json"));
            b.env("SPRING_DATASOURCE_URL", a.jdbcUrl()).env("SPRING_DATASOURCE_USERNAME", "postgres")
                    .env("SPRING_DATASOURCE_PASSWORD", "")
                    .env("RINGFENCE_DEMO_IDENTITIES", "true").env("RINGFENCE_PUBLIC_URL", "http://localhost:" + a.port())
                    .start();
            String token = Tokens.fetch(a.url(), Fixtures.DEMO_CLIENT);
            JdbcClient db = JdbcClient.create(new SingleConnectionDataSource(a.jdbcUrl(), "postgres", "", true));

            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                RawHttp via = i % 2 == 0 ? a.http() : b.http();
                RawHttp.Response created = via.post(token, "/api/v2/reservations", Reservations.body("takeover-" + i,
                        DEMO_ORG, DEMO_PROJECT, i % 3 == 0 ? SECOND_REGION : DOCS_REGION, 1, List.of()));
                assertThat(created.status()).as(created.toString()).isEqualTo(202);
                ids.add(created.json().get("metadata").get("id").asString());
                Thread.sleep(100); // spread the creates, so that both replicas' reconcilers pick some up
            }
            String doomedReplica = "%" + b.pid() + "@%";
            Await.until(() -> db.sql("SELECT count(*) FROM platform_operation WHERE state = 'started' AND started_by LIKE ?")
                    .param(doomedReplica).query(Long.class).single(), n -> n > 0, "the doomed replica to start work");
            b.kill();

            for (String id : ids) {
                Reservations.awaitStatus(a.http(), token, id, "provisioned");
            }
            Invariants invariants = Invariants.of(a.jdbcUrl());
            Await.until(invariants::queuedWork, n -> n == 0, "the surviving replica to drain the work queue");
            invariants.claimsAreConsistent().everyClaimPrepared().platformHoldsExactlyTheClaims(platform).assertAllHold();
        } finally {
            FileSystemUtils.deleteRecursively(platform);
        }
    }

    private static <T> T call(ApiCall<T> call) {
        try {
            return call.run();
        } catch (io.ringfence.client.ApiException e) {
            throw new AssertionError(e.getCode() + " " + e.getResponseBody(), e);
        }
    }

    private interface ApiCall<T> {
        T run() throws io.ringfence.client.ApiException;
    }
}
