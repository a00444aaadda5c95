package io.ringfence;

import static io.ringfence.testkit.Fixtures.DEMO_ORG;
import static io.ringfence.testkit.Fixtures.DEMO_PROJECT;
import static io.ringfence.testkit.Fixtures.DOCS_REGION;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.support.Reservations;
import io.ringfence.testkit.Await;
import io.ringfence.testkit.Fixtures;
import io.ringfence.testkit.Invariants;
import io.ringfence.testkit.RawHttp;
import io.ringfence.testkit.ServiceProcess;
import io.ringfence.testkit.Tokens;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * {@code kill -9} while platform work is in flight and more waits for a slot at the platform: reservations are
 * provisioning and deprovisioning, some of their units being prepared, others not yet started. After a restart
 * every one converges, no claim leaks (in the database or at the platform), and the platform's journal shows no
 * unit prepared or released twice: work started before the kill is found again by its key, not started again.
 *
 * <p>A process of its own: it kills the service ({@code kill -9}) and starts it again with other platform delays.
 * The reconciler's lease is 10 s here, so work the killed instance had claimed is taken over 10 s after the claim
 * rather than the default 60 s; the takeover is the same.
 */
class CrashSafetyIT {

    @Test
    void everythingConvergesAfterAKillInTheMiddleOfWork() throws Exception {
        try (ServiceProcess service = ServiceProcess.create("crash").fleetResource("fleet/test-fleet.yaml").quickPlatform()) {
            service.property("ringfence.provider.simulated.prepare-unit", "3s")
                    .property("ringfence.provider.simulated.release-unit", "3s")
                    .property("ringfence.provider.simulated.max-in-flight-per-region." + DOCS_REGION, "3")
                    .property("ringfence.reconciler.workers", "2")
                    // the killed instance's claimed work is taken over when its lease runs out: 10 s, not 60 s
                    .property("ringfence.reconciler.lease", "10s")
                    .start();
            RawHttp api = service.http();
            String token = Tokens.fetch(api.baseUrl(), Fixtures.DEMO_CLIENT);

            String doomed = id(Reservations.create(api, token, body("doomed", 1)));
            Reservations.awaitStatus(api, token, doomed, "provisioned");
            List<String> live = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                live.add(id(Reservations.create(api, token, body("crash-" + i, i % 2 + 1))));
            }
            assertThat(api.delete(token, "/api/v2/reservations/" + doomed).status()).isEqualTo(202);
            JdbcClient ledger = JdbcClient.create(new SingleConnectionDataSource(service.jdbcUrl(), "postgres", "", true));
            Map<String, String> before = Await.until(() -> statuses(api, token, live, doomed),
                    s -> s.containsValue("provisioning") && "deprovisioning".equals(s.get(doomed))
                            && ledger.sql("SELECT count(DISTINCT state) FROM platform_operation WHERE state IN "
                            + "('started', 'wanted')").query(Long.class).single() == 2,
                    "reservations provisioning and deprovisioning, with work started and work waiting at once");
            service.kill();

            service.property("ringfence.provider.simulated.prepare-unit", "20ms")
                    .property("ringfence.provider.simulated.release-unit", "20ms")
                    .start();
            for (String id : live) {
                Reservations.awaitStatus(api, token, id, "provisioned");
            }
            Await.until(() -> api.get(token, "/api/v2/reservations/" + doomed).status(), s -> s == 404,
                    "the deleted reservation to be gone (was " + before.get(doomed) + ")");

            Invariants invariants = Invariants.of(service.jdbcUrl());
            Await.until(invariants::queuedWork, n -> n == 0, "the work queue to drain");
            JdbcClient db = JdbcClient.create(new SingleConnectionDataSource(service.jdbcUrl(), "postgres", "", true));
            long claims = db.sql("SELECT count(*) FROM unit_claim").query(Long.class).single();
            long claimed = db.sql("SELECT COALESCE(sum(claimed_unit_count), 0) FROM reservation").query(Long.class).single();
            assertThat(claims).isEqualTo(claimed).isEqualTo(9); // 1+2+1+2+1+2
            // every claim prepared, and the platform's own record: every live claim prepared exactly once, for its
            // owner; nothing else held
            invariants.claimsAreConsistent().everyClaimPrepared()
                    .platformHoldsExactlyTheClaims(service.dataDir().resolve("simulated-platform"))
                    .assertAllHold();
        }
    }

    private static String body(String name, int count) {
        return Reservations.body(name, DEMO_ORG, DEMO_PROJECT, DOCS_REGION, count, List.of());
    }

    private static String id(tools.jackson.databind.JsonNode reservation) {
        return reservation.get("metadata").get("id").asString();
    }

    private static Map<String, String> statuses(RawHttp api, String token, List<String> live, String doomed) {
        Map<String, String> statuses = new HashMap<>();
        List<String> all = new ArrayList<>(live);
        all.add(doomed);
        for (String id : all) {
            RawHttp.Response response = api.get(token, "/api/v2/reservations/" + id);
            statuses.put(id, response.status() == 200
                    ? response.json().get("metadata").get("provisioningStatus").asString() : "gone");
        }
        return statuses;
    }
}
