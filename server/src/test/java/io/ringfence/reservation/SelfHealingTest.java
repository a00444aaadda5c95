package io.ringfence.reservation;

import static io.ringfence.testkit.Fixtures.DEMO_ORG;
import static io.ringfence.testkit.Fixtures.DEMO_PROJECT;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.support.Reservations;
import io.ringfence.support.RingfenceTestBase;
import io.ringfence.testkit.Await;
import io.ringfence.testkit.RawHttp;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Faults injected through the operator API into the simulated platform: a failed host degrades its
 * reservation, a spare unit in the pod replaces the failed one, and without a spare the reservation stays
 * degraded and says why.
 */
class SelfHealingTest extends RingfenceTestBase {

    static final String REGION = "test-heal"; // one pod of 3 units, used by this test only

    @Autowired
    JdbcClient jdbc;

    @Test
    void failedHostIsHealedBySwappingAndStaysDegradedWithoutSpare() {
        String token = demoToken();
        JsonNode created = Reservations.create(api, token,
                Reservations.body("healing", DEMO_ORG, DEMO_PROJECT, REGION, 2, List.of()));
        String id = created.get("metadata").get("id").asString();
        String hashBefore = created.get("status").get("topologyHash").asString();
        Reservations.awaitStatus(api, token, id, "provisioned");
        List<String> claimed = claimedDomains(id);
        String spare = jdbc.sql("""
                        SELECT d.id FROM nvlink_domain d JOIN pod p ON p.id = d.pod_id JOIN unit_type t ON t.id = p.unit_type_id
                        WHERE t.region_id = ? AND NOT (d.id = ANY(?))""")
                .params(REGION, claimed.toArray(String[]::new)).query(String.class).single();

        // a host fails in the first claimed unit: the spare replaces it, the count stays, the hash changes
        String failedHost = hostOf(claimed.get(0));
        inject("hostFailure", failedHost);
        JsonNode healed = Await.until(() -> api.get(token, "/api/v2/reservations/" + id).json(),
                r -> !r.get("status").get("topologyHash").asString().equals(hashBefore)
                        && r.get("metadata").get("healthStatus").asString().equals("healthy"),
                "the failed unit to be swapped");
        assertThat(healed.get("status").get("claimedUnitCount").asInt()).isEqualTo(2);
        assertThat(healed.get("metadata").get("healthStatusDetail").get("message").asString())
                .isEqualTo("0/36 hosts are down");
        assertThat(claimedDomains(id)).containsExactlyInAnyOrder(claimed.get(1), spare);
        RawHttp.Response audit = api.get(operatorToken(), "/api/v2/operator/audit?organizationID=" + DEMO_ORG);
        assertThat(audit.status()).isEqualTo(200);
        assertThat(audit.text()).contains("swap-unit").contains(id).contains(claimed.get(0));

        // now a host fails in another claimed unit while the only free unit is the failed one: no spare
        String secondFailure = hostOf(claimed.get(1));
        inject("hostFailure", secondFailure);
        JsonNode degraded = Await.until(() -> api.get(token, "/api/v2/reservations/" + id).json(),
                r -> r.get("metadata").get("healthStatus").asString().equals("degraded")
                        && r.get("metadata").get("healthStatusDetail").get("message").asString().contains("spare"),
                "the reservation to report it cannot heal");
        assertThat(degraded.get("metadata").get("healthStatusDetail").get("reason").asString()).isEqualTo("Degraded");
        assertThat(degraded.get("metadata").get("healthStatusDetail").get("message").asString())
                .startsWith("1/36 hosts are down");
        assertThat(degraded.get("status").get("claimedUnitCount").asInt()).isEqualTo(2);

        // the first host recovers: its unit is a healthy spare again, and healing completes by itself
        inject("hostRecovery", failedHost);
        JsonNode healthyAgain = Await.until(() -> api.get(token, "/api/v2/reservations/" + id).json(),
                r -> r.get("metadata").get("healthStatus").asString().equals("healthy"), "healing with the recovered unit");
        assertThat(claimedDomains(id)).containsExactlyInAnyOrder(spare, claimed.get(0));
        assertThat(healthyAgain.get("status").get("claimedUnitCount").asInt()).isEqualTo(2);

        inject("hostRecovery", secondFailure);
        Reservations.deleteAndAwaitGone(api, token, id);
        Await.until(() -> Reservations.unit(api, token, REGION).get("availableUnitCount").asInt(), n -> n == 3,
                "all units free and healthy again");
    }

    @Test
    void operatorEndpointsNeedThePlatformAdministrator() {
        RawHttp.Response hosts = api.get(demoToken(), "/api/v2/operator/hosts");
        assertThat(hosts.status()).isEqualTo(403);
        assertThat(hosts.json().get("error").asString()).isEqualTo("forbidden");
        RawHttp.Response asOperator = api.get(operatorToken(), "/api/v2/operator/hosts?regionID=" + REGION);
        assertThat(asOperator.status()).isEqualTo(200);
        assertThat(asOperator.json().size()).isEqualTo(3 * 18);
        assertThat(api.post(otherToken(), "/api/v2/operator/faults", "{\"kind\":\"hostFailure\",\"infrastructureRef\":\"x\"}")
                .status()).isEqualTo(403);
        assertThat(api.post(operatorToken(), "/api/v2/operator/faults", "{\"kind\":\"hostFailure\",\"infrastructureRef\":\"nope\"}")
                .status()).isEqualTo(400);
    }

    @Test
    void operatorMarksAndDrainsKeepUnitsOutOfNewClaims() {
        String token = demoToken();
        List<String> domains = jdbc.sql("""
                        SELECT d.id FROM nvlink_domain d JOIN pod p ON p.id = d.pod_id JOIN unit_type t ON t.id = p.unit_type_id
                        WHERE t.region_id = 'test-drain' ORDER BY d.position""").query(String.class).list();
        RawHttp.Response drain = api.send("PUT", operatorToken(), "/api/v2/operator/domains/" + domains.get(0) + "/drain",
                java.util.Map.of("Content-Type", "application/json"), "{\"draining\":true}".getBytes());
        assertThat(drain.status()).isEqualTo(200);
        assertThat(drain.json().get(0).get("draining").asBoolean()).isTrue();
        RawHttp.Response faulty = api.send("PUT", operatorToken(), "/api/v2/operator/hosts/" + hostOf(domains.get(1))
                + "/health", java.util.Map.of("Content-Type", "application/json"),
                "{\"healthy\":false,\"reason\":\"bad cable\"}".getBytes());
        assertThat(faulty.status()).isEqualTo(200);
        assertThat(faulty.json().get(0).get("operatorFaulty").asBoolean()).isTrue();
        assertThat(faulty.json().get(0).get("healthReason").asString()).isEqualTo("bad cable");

        assertThat(Reservations.unit(api, token, "test-drain").get("availableUnitCount").asInt()).isZero();
        RawHttp.Response refused = api.post(token, "/api/v2/reservations",
                Reservations.body("nothing-left", DEMO_ORG, DEMO_PROJECT, "test-drain", 1, List.of()));
        assertThat(refused.status()).isEqualTo(507);

        api.send("PUT", operatorToken(), "/api/v2/operator/hosts/" + hostOf(domains.get(1)) + "/health",
                java.util.Map.of("Content-Type", "application/json"), "{\"healthy\":true}".getBytes());
        assertThat(Reservations.unit(api, token, "test-drain").get("availableUnitCount").asInt()).isEqualTo(1);
        String id = Reservations.create(api, token, Reservations.body("undrained", DEMO_ORG, DEMO_PROJECT, "test-drain",
                1, List.of())).get("metadata").get("id").asString();
        assertThat(claimedDomains(id)).containsExactly(domains.get(1));
        Reservations.deleteAndAwaitGone(api, token, id);
        api.send("PUT", operatorToken(), "/api/v2/operator/domains/" + domains.get(0) + "/drain",
                java.util.Map.of("Content-Type", "application/json"), "{\"draining\":false}".getBytes());
        assertThat(Reservations.unit(api, token, "test-drain").get("availableUnitCount").asInt()).isEqualTo(2);
        assertThat(api.get(operatorToken(), "/api/v2/operator/audit?actor=ringfence-operator").text())
                .contains("drain").contains("mark-faulty");
    }

    private void inject(String kind, String host) {
        RawHttp.Response response = api.post(operatorToken(), "/api/v2/operator/faults",
                "{\"kind\":\"" + kind + "\",\"infrastructureRef\":\"" + host + "\"}");
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
    }

    private List<String> claimedDomains(String reservationId) {
        return jdbc.sql("SELECT domain_id FROM unit_claim WHERE reservation_id = ?").param(reservationId)
                .query(String.class).list();
    }

    private String hostOf(String domainId) {
        return jdbc.sql("SELECT infrastructure_ref FROM host WHERE domain_id = ? ORDER BY position LIMIT 1")
                .param(domainId).query(String.class).single();
    }
}
