package io.ringfence;

import static io.ringfence.support.ApiClient.DEMO_ORG;
import static io.ringfence.support.ApiClient.DEMO_PROJECT;
import static io.ringfence.support.ApiClient.DOCS_REGION;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.support.ApiClient;
import io.ringfence.support.Await;
import io.ringfence.support.Reservations;
import io.ringfence.support.ServiceProcess;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * {@code kill -9} while reservations are pending, provisioning and deprovisioning: after a restart every one
 * converges, no claim leaks (in the database or at the platform), and no unit is prepared twice.
 */
class CrashSafetyIT {

    @Test
    void everythingConvergesAfterAKillInTheMiddleOfWork() throws Exception {
        try (ServiceProcess service = new ServiceProcess(Files.createTempDirectory("ringfence-crash"))) {
            service.property("ringfence.provider.simulated.prepare-unit", "3s")
                    .property("ringfence.provider.simulated.release-unit", "3s")
                    .property("ringfence.reconciler.workers", "2")
                    .start();
            ApiClient api = service.api();
            String token = api.fetchToken("ringfence-demo", "ringfence-demo-secret");

            String doomed = id(Reservations.create(api, token, body("doomed", 1)));
            Reservations.awaitStatus(api, token, doomed, "provisioned");
            List<String> live = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                live.add(id(Reservations.create(api, token, body("crash-" + i, i % 2 + 1))));
            }
            assertThat(api.delete(token, "/api/v2/reservations/" + doomed).status()).isEqualTo(202);
            Map<String, String> before = Await.until(() -> statuses(api, token, live, doomed),
                    s -> s.containsValue("pending") && s.containsValue("provisioning")
                            && "deprovisioning".equals(s.get(doomed)),
                    "pending, provisioning and deprovisioning reservations at once");
            service.kill();

            service.property("ringfence.provider.simulated.prepare-unit", "20ms")
                    .property("ringfence.provider.simulated.release-unit", "20ms")
                    .start();
            for (String id : live) {
                Reservations.awaitStatus(api, token, id, "provisioned");
            }
            Await.until(() -> api.get(token, "/api/v2/reservations/" + doomed).status(), s -> s == 404,
                    "the deleted reservation to be gone (was " + before.get(doomed) + ")");

            JdbcClient db = JdbcClient.create(new SingleConnectionDataSource(service.jdbcUrl(), "postgres", "", true));
            Await.until(() -> db.sql("SELECT count(*) FROM work_item").query(Long.class).single(), n -> n == 0,
                    "the work queue to drain");
            long claims = db.sql("SELECT count(*) FROM unit_claim").query(Long.class).single();
            long claimed = db.sql("SELECT COALESCE(sum(claimed_unit_count), 0) FROM reservation").query(Long.class).single();
            assertThat(claims).isEqualTo(claimed).isEqualTo(9); // 1+2+1+2+1+2
            assertThat(db.sql("SELECT count(*) FROM unit_claim WHERE NOT prepared").query(Long.class).single()).isZero();

            // the platform's own record: every live claim prepared exactly once, for its owner; nothing else held
            Map<String, Integer> prepares = new HashMap<>();
            Map<String, String> owners = new HashMap<>();
            for (String line : Files.readAllLines(service.dataDir().resolve("simulated-platform/units.journal"))) {
                String[] parts = line.split(" ");
                if (parts[0].equals("prepare")) {
                    prepares.merge(parts[1] + " " + parts[2], 1, Integer::sum);
                    owners.put(parts[1], parts[2]);
                } else if (parts[0].equals("release") && parts[2].equals(owners.get(parts[1]))) {
                    owners.remove(parts[1]);
                }
            }
            assertThat(prepares.values()).allMatch(n -> n == 1);
            Map<String, String> dbOwners = new HashMap<>();
            db.sql("SELECT domain_id, reservation_id FROM unit_claim")
                    .query((rs, n) -> dbOwners.put(rs.getString(1), rs.getString(2))).list();
            assertThat(owners).isEqualTo(dbOwners);
        }
    }

    private static String body(String name, int count) {
        return Reservations.body(name, DEMO_ORG, DEMO_PROJECT, DOCS_REGION, count, List.of());
    }

    private static String id(tools.jackson.databind.JsonNode reservation) {
        return reservation.get("metadata").get("id").asString();
    }

    private static Map<String, String> statuses(ApiClient api, String token, List<String> live, String doomed) {
        Map<String, String> statuses = new HashMap<>();
        List<String> all = new ArrayList<>(live);
        all.add(doomed);
        for (String id : all) {
            ApiClient.Response response = api.get(token, "/api/v2/reservations/" + id);
            statuses.put(id, response.status() == 200
                    ? response.json().get("metadata").get("provisioningStatus").asString() : "gone");
        }
        return statuses;
    }
}
