package io.ringfence;

import static io.ringfence.support.ApiClient.DEMO_ORG;
import static io.ringfence.support.ApiClient.DEMO_PROJECT;
import static io.ringfence.support.ApiClient.DOCS_REGION;
import static io.ringfence.support.ApiClient.SECOND_REGION;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.support.ApiClient;
import io.ringfence.support.Await;
import io.ringfence.support.Reservations;
import io.ringfence.support.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 */
class ReplicasIT {

    @Test
    void twoReplicasShareTheWorkAndNeverOverbook() throws Exception {
        Path platform = Files.createTempDirectory("ringfence-platform");
        try (ServiceProcess a = new ServiceProcess(Files.createTempDirectory("ringfence-replica-a"));
             ServiceProcess b = new ServiceProcess(Files.createTempDirectory("ringfence-replica-b"))) {
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
                    .env("SPRING_DATASOURCE_PASSWORD", "").env("RINGFENCE_PUBLIC_URL", publicUrl)
                    .property("ringfence.provider.simulated.state-dir", platform.toString())
                    .property("ringfence.provider.simulated.prepare-unit", "100ms")
                    .property("ringfence.provider.simulated.release-unit", "100ms")
                    .start();
            List<ApiClient> replicas = List.of(a.api(), b.api());
            String token = a.api().fetchToken("ringfence-demo", "ringfence-demo-secret");

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
                        ApiClient via = replicas.get(random.nextInt(2));
                        String region = random.nextBoolean() ? DOCS_REGION : SECOND_REGION;
                        ApiClient.Response created = via.post(token, "/api/v2/reservations", Reservations.body(
                                "replica-" + client + "-" + i, DEMO_ORG, DEMO_PROJECT, region, 1 + random.nextInt(2),
                                List.of()));
                        assertThat(created.status()).as(created.toString()).isIn(202, 507);
                        if (created.status() == 202) {
                            String id = created.json().get("metadata").get("id").asString();
                            if (random.nextInt(3) > 0) {
                                ApiClient other = replicas.get(random.nextInt(2));
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

            JdbcClient db = JdbcClient.create(new SingleConnectionDataSource(a.jdbcUrl(), "postgres", "", true));
            Await.until(() -> db.sql("SELECT count(*) FROM work_item").query(Long.class).single(), n -> n == 0,
                    "both replicas to drain the work queue");
            // invariant 4: every accepted request converged; kept ones provisioned, deleted ones gone
            for (String id : kept) {
                assertThat(a.api().get(token, "/api/v2/reservations/" + id).json().get("metadata")
                        .get("provisioningStatus").asString()).isEqualTo("provisioned");
            }
            assertThat(db.sql("SELECT id FROM reservation").query(String.class).list())
                    .containsExactlyInAnyOrderElementsOf(kept);
            // invariants 1 and 2: one claim per unit, exactly claimedUnitCount units per reservation, one pod each
            List<Map<String, Object>> perReservation = db.sql("""
                            SELECT r.id, r.claimed_unit_count, r.unit_count, count(c.domain_id) AS claims,
                                   count(DISTINCT d.pod_id) AS pods, bool_and(d.pod_id = r.pod_id) AS in_pod
                            FROM reservation r LEFT JOIN unit_claim c ON c.reservation_id = r.id
                            LEFT JOIN nvlink_domain d ON d.id = c.domain_id GROUP BY r.id""").query().listOfRows();
            for (Map<String, Object> row : perReservation) {
                assertThat(((Number) row.get("claims")).intValue()).isEqualTo(row.get("claimed_unit_count"))
                        .isEqualTo(row.get("unit_count"));
                assertThat(((Number) row.get("pods")).intValue()).isEqualTo(1);
                assertThat(row.get("in_pod")).isEqualTo(true);
            }
            // invariant 5 and the platform: units held at the platform are exactly the claimed ones
            Map<String, String> owners = new HashMap<>();
            Map<String, Integer> prepares = new HashMap<>();
            for (String line : Files.readAllLines(platform.resolve("units.journal"))) {
                String[] parts = line.split(" ");
                if (parts[0].equals("prepare")) {
                    owners.put(parts[1], parts[2]);
                    prepares.merge(parts[1] + " " + parts[2], 1, Integer::sum);
                } else if (parts[0].equals("release") && parts[2].equals(owners.get(parts[1]))) {
                    owners.remove(parts[1]);
                }
            }
            Map<String, String> claims = new HashMap<>();
            db.sql("SELECT domain_id, reservation_id FROM unit_claim")
                    .query((rs, n) -> claims.put(rs.getString(1), rs.getString(2))).list();
            assertThat(owners).isEqualTo(claims);
            assertThat(prepares.values()).allMatch(n -> n == 1);
            // the catalog adds up on both replicas
            for (ApiClient replica : replicas) {
                for (tools.jackson.databind.JsonNode unit : replica.get(token, "/api/v2/reservation-units").json()) {
                    long claimedInRegion = db.sql("""
                                    SELECT count(*) FROM unit_claim c JOIN nvlink_domain d ON d.id = c.domain_id
                                    JOIN pod p ON p.id = d.pod_id JOIN unit_type t ON t.id = p.unit_type_id
                                    WHERE t.region_id = ?""").param(unit.get("regionId").asString())
                            .query(Long.class).single();
                    assertThat(unit.get("availableUnitCount").asLong() + claimedInRegion)
                            .isEqualTo(unit.get("totalCount").asLong());
                }
            }
            // both replicas did reconciler work; report the longest queue wait each saw
            List<Double> waits = new ArrayList<>();
            for (ApiClient replica : replicas) {
                String metrics = replica.get(null, "/actuator/prometheus").text();
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
}
