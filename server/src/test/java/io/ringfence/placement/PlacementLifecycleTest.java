package io.ringfence.placement;

import static io.ringfence.testkit.Fixtures.DEMO_ORG;
import static io.ringfence.testkit.Fixtures.DEMO_PROJECT;
import static io.ringfence.testkit.Fixtures.DOCS_REGION;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.support.Reservations;
import io.ringfence.support.RingfenceTestBase;
import io.ringfence.testkit.Await;
import io.ringfence.testkit.RawHttp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Placements on a 3-unit reservation in the docs' region, through the whole service. */
class PlacementLifecycleTest extends RingfenceTestBase {

    static final String SPREAD = "{\"policy\":\"spread\",\"maxSkew\":1,\"minDomains\":3,\"whenUnsatisfiable\":\"fail\"}";
    static String reservation;

    @Autowired
    JdbcClient jdbc;

    @BeforeAll
    void reserve() {
        reservation = Reservations.create(api, demoToken(), Reservations.body("placements", DEMO_ORG, DEMO_PROJECT,
                DOCS_REGION, 3, List.of())).get("metadata").get("id").asString();
        Reservations.awaitStatus(api, demoToken(), reservation, "provisioned");
    }

    @AfterAll
    void release() {
        Reservations.deleteAndAwaitGone(api, demoToken(), reservation);
    }

    @Test
    void docsPlacementSpreadsEightServersOverThreeDomains() {
        String token = demoToken();
        RawHttp.Response created = api.post(token, "/api/v2/placements",
                Placements.body("training-workers", reservation, 8, SPREAD));
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        JsonNode body = created.json();
        String id = body.get("metadata").get("id").asString();
        assertThat(id).matches("^[a-f][0-9a-f-]{35}$");
        assertThat(body.get("metadata").get("provisioningStatus").asString()).isEqualTo("pending");
        assertThat(body.get("metadata").get("organizationId").asString()).isEqualTo(DEMO_ORG);
        assertThat(body.get("metadata").get("projectId").asString()).isEqualTo(DEMO_PROJECT);
        assertThat(body.get("metadata").get("healthStatus").asString()).isEqualTo("healthy");
        assertThat(body.get("status").get("regionId").asString()).isEqualTo(DOCS_REGION);
        assertThat(body.get("status").get("reservationId").asString()).isEqualTo(reservation);
        assertThat(body.get("status").get("networkId").asString()).isEqualTo(Placements.DOCS_NETWORK);
        assertThat(body.get("status").get("readyHostCount").asInt()).isZero();
        assertThat(body.get("spec").get("count").asInt()).isEqualTo(8);
        assertThat(body.get("spec").has("reservationId")).isFalse();
        assertThat(body.get("spec").get("constraints").get("policy").asString()).isEqualTo("spread");
        assertThat(body.get("spec").get("serverSpec").get("imageId").asString()).isEqualTo("ubuntu-24.04");

        JsonNode provisioned = Placements.awaitProvisioned(api, token, id);
        assertThat(provisioned.get("status").get("readyHostCount").asInt()).isEqualTo(8);
        assertThat(provisioned.get("status").get("statusCurrent").asBoolean()).isTrue();
        List<JsonNode> servers = Placements.servers(api, token, id);
        assertThat(servers).hasSize(8);
        Map<String, Integer> perDomain = new HashMap<>();
        Set<String> hosts = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            JsonNode server = servers.get(i);
            assertThat(server.get("metadata").get("id").asString()).matches("^psrv-[0-9a-f]{16}$");
            assertThat(server.get("metadata").get("name").asString()).isEqualTo("training-workers-" + i);
            assertThat(server.get("metadata").get("provisioningStatus").asString()).isEqualTo("provisioned");
            JsonNode status = server.get("status");
            assertThat(status.get("ordinal").asInt()).isEqualTo(i);
            assertThat(status.get("powerState").asString()).isEqualTo("Running");
            assertThat(status.get("hostReadiness").asString()).isEqualTo("Ready");
            assertThat(status.get("driftState").asString()).isEqualTo("UpToDate");
            assertThat(status.get("privateIP").asString()).startsWith("10.");
            assertThat(status.get("macAddress").asString()).startsWith("fa:16:3e:");
            assertThat(status.get("placementId").asString()).isEqualTo(id);
            assertThat(hosts.add(status.get("infrastructureRef").asString())).isTrue();
            perDomain.merge(status.get("topologyPath").get(0).asString(), 1, Integer::sum);
        }
        assertThat(perDomain).hasSize(3);
        assertThat(perDomain.values()).containsExactlyInAnyOrder(3, 3, 2);

        // filters
        assertThat(ids("reservationID=" + reservation)).contains(id);
        assertThat(ids("networkID=no-such-network")).doesNotContain(id);
        assertThat(ids("tag=workload%3Dtraining&regionID=" + DOCS_REGION)).contains(id);
        assertThat(api.get(otherToken(), "/api/v2/placements/" + id).status()).isEqualTo(404);
        assertThat(api.get(otherToken(), "/api/v2/placements").text()).doesNotContain(id);

        // the topology shows the placement on its hosts
        JsonNode projection = api.get(token, "/api/v2/organizations/" + DEMO_ORG + "/topology?regionID=" + DOCS_REGION
                + "&reservationID=" + reservation).json().get(0).get("projections").get(0);
        assertThat(projection.get("overlays").get("placements").has(id)).isTrue();

        // a unit with servers can't be released: 422 names the blockers
        JsonNode overlay = projection.get("overlays").get("reservations").get(reservation);
        String unit = overlay.get("units").propertyNames().iterator().next();
        RawHttp.Response blocked = api.post(token, "/api/v2/reservations/" + reservation + "/units/release",
                "{\"spec\":{\"unitIds\":[\"" + unit + "\"]}}", Map.of("Content-Type", "application/json",
                        "If-Match", "\"" + overlay.get("topologyEntityTag").asString() + "\""));
        assertThat(blocked.status()).isEqualTo(422);
        assertThat(blocked.json().get("blockers").get(0).get("unitId").asString()).isEqualTo(unit);
        assertThat(blocked.json().get("blockers").get(0).get("consumers").get(0).get("placementId").asString()).isEqualTo(id);

        Placements.deleteAndAwaitGone(api, token, id);
        assertThat(jdbc.sql("SELECT count(*) FROM placement_host WHERE placement_id = ?").param(id)
                .query(Long.class).single()).isZero();
    }

    @Test
    void badPlacementsAreRefusedWithTheRightStatus() {
        String token = demoToken();
        assertStatus(api.post(token, "/api/v2/placements", Placements.body("p", reservation, 2,
                "{\"policy\":\"pack\",\"maxSkew\":1}")), 400);
        assertStatus(api.post(token, "/api/v2/placements", Placements.body("p", reservation, 2,
                "{\"policy\":\"spread\",\"minDomains\":3}")), 400);
        assertStatus(api.post(token, "/api/v2/placements", Placements.body("p", reservation, 2,
                "{\"policy\":\"sideways\"}")), 400);
        assertStatus(api.post(token, "/api/v2/placements", Placements.body("x".repeat(62), reservation, 2,
                "{\"policy\":\"pack\"}")), 400);
        assertStatus(api.post(token, "/api/v2/placements", Placements.body("p", reservation, 0,
                "{\"policy\":\"pack\"}")), 400);
        assertStatus(api.post(token, "/api/v2/placements", Placements.body("p", "no-such-reservation", 2,
                "{\"policy\":\"pack\"}")), 404);
        assertStatus(api.post(token, "/api/v2/placements", Placements.body("p", reservation, 2,
                "{\"policy\":\"pack\"}").replace(Placements.DOCS_NETWORK, "no-such-network")), 404);
        assertStatus(api.post(token, "/api/v2/placements", Placements.body("p", reservation, 55,
                "{\"policy\":\"pack\"}")), 409);
        assertStatus(api.post(otherToken(), "/api/v2/placements", Placements.body("p", reservation, 2,
                "{\"policy\":\"pack\"}")), 404);
        // 2 units cannot take minDomains 3
        String small = Reservations.create(api, token, Reservations.body("two", DEMO_ORG, DEMO_PROJECT, DOCS_REGION, 2,
                List.of())).get("metadata").get("id").asString();
        try {
            assertStatus(api.post(token, "/api/v2/placements", Placements.body("p", small, 8, SPREAD)), 409);
            Reservations.awaitStatus(api, token, small, "provisioned");
            RawHttp.Response unsatisfiable = api.post(token, "/api/v2/placements", Placements.body("p", small, 8, SPREAD));
            assertStatus(unsatisfiable, 422);
            assertThat(unsatisfiable.json().get("error").asString()).isEqualTo("unprocessable_content");
            RawHttp.Response bestEffort = api.post(token, "/api/v2/placements", Placements.body("p", small, 8,
                    SPREAD.replace("fail", "bestEffort")));
            assertStatus(bestEffort, 202);
            Placements.deleteAndAwaitGone(api, token, bestEffort.json().get("metadata").get("id").asString());
        } finally {
            Reservations.deleteAndAwaitGone(api, token, small);
        }
    }

    @Test
    void powerOperationsAndTheirConflicts() {
        String token = demoToken();
        String id = api.post(token, "/api/v2/placements", Placements.body("power", reservation, 2,
                "{\"policy\":\"pack\"}")).json().get("metadata").get("id").asString();
        Placements.awaitProvisioned(api, token, id);
        String serverId = Placements.servers(api, token, id).get(0).get("metadata").get("id").asString();
        String base = "/api/v2/placements/" + id + "/servers/" + serverId;

        assertStatus(api.post(token, base + "/stop", ""), 202);
        assertStatus(api.post(token, base + "/reboot", ""), 409);
        JsonNode stopped = Placements.awaitServer(api, token, id, serverId,
                s -> s.get("status").get("powerState").asString().equals("Stopped")
                        && s.get("status").get("observedGeneration").asLong() == s.get("status").get("operationGeneration").asLong(),
                "the server to stop");
        assertThat(stopped.get("status").get("desiredState").asString()).isEqualTo("Drained");
        assertThat(stopped.get("status").get("lifecycleState").asString()).isEqualTo("Drained");

        // a reboot of a stopped server powers it on
        assertStatus(api.post(token, base + "/reboot", ""), 202);
        Placements.awaitServer(api, token, id, serverId, s -> s.get("status").get("powerState").asString().equals("Running")
                && s.get("status").get("observedGeneration").asLong() == 2, "the server to run again");
        assertStatus(api.post(token, base + "/reboot?hard=true", ""), 202);
        assertStatus(api.post(token, base + "/stop", ""), 409);
        Placements.awaitServer(api, token, id, serverId, s -> s.get("status").get("observedGeneration").asLong() == 3,
                "the hard reboot to finish");
        assertStatus(api.post(token, base + "/reconcile", "", Map.of("If-Match", "\"x\"")), 409);
        assertStatus(api.post(otherToken(), base + "/reboot", ""), 404);
        assertStatus(api.post(token, "/api/v2/placements/" + id + "/servers/psrv-0000000000000000/reboot", ""), 404);
        Placements.deleteAndAwaitGone(api, token, id);
    }

    @Test
    void imageUpdatesManualAndRolling() {
        String token = demoToken();
        String id = api.post(token, "/api/v2/placements", Placements.body("rolling", reservation, 8,
                "{\"policy\":\"pack\"}")).json().get("metadata").get("id").asString();
        JsonNode placement = Placements.awaitProvisioned(api, token, id);
        JsonNode spec = placement.get("spec");

        // anything but the image and the update strategy is 400
        String changedCount = "{\"metadata\":{\"name\":\"rolling\"},\"spec\":" + spec.toString().replace("\"count\":8", "\"count\":7") + "}";
        assertStatus(api.send("PUT", token, "/api/v2/placements/" + id, Map.of("Content-Type", "application/json"),
                changedCount.getBytes()), 400);

        // Manual: servers drift and stay drifted until reconciled one by one
        String manual = "{\"metadata\":{\"name\":\"rolling\"},\"spec\":" + spec.toString().replace("ubuntu-24.04", "ubuntu-24.10") + "}";
        RawHttp.Response updated = api.send("PUT", token, "/api/v2/placements/" + id,
                Map.of("Content-Type", "application/json"), manual.getBytes());
        assertStatus(updated, 200);
        assertThat(updated.json().get("spec").get("serverSpec").get("imageId").asString()).isEqualTo("ubuntu-24.10");
        assertThat(updated.json().get("status").get("driftedHostCount").asInt()).isEqualTo(8);
        assertThat(updated.json().get("status").get("statusCurrent").asBoolean()).isFalse();
        assertThat(updated.json().get("status").get("maxUnavailable").asInt()).isZero();
        String first = Placements.servers(api, token, id).get(0).get("metadata").get("id").asString();
        assertThat(Placements.server(api, token, id, first).get("status").get("driftState").asString()).isEqualTo("Drifted");
        assertStatus(api.post(token, "/api/v2/placements/" + id + "/servers/" + first + "/reconcile", ""), 202);
        Placements.awaitServer(api, token, id, first, s -> s.get("status").get("driftState").asString().equals("UpToDate")
                && s.get("status").get("powerState").asString().equals("Running"), "the reconciled server to be current");
        JsonNode afterOne = api.get(token, "/api/v2/placements/" + id).json();
        assertThat(afterOne.get("status").get("updatedHostCount").asInt()).isEqualTo(1);
        assertThat(afterOne.get("status").get("driftedHostCount").asInt()).isEqualTo(7);
        assertThat(Placements.server(api, token, id, first).get("status").get("lifecycleRevision").asLong()).isEqualTo(2);

        // RollingUpdate with 25% of 8: waves of 2, never more in flight
        String rolling = "{\"metadata\":{\"name\":\"rolling\"},\"spec\":" + spec.toString().replace("ubuntu-24.04", "ubuntu-25.04")
                .replace("\"updateStrategy\":{\"type\":\"Manual\"}",
                        "\"updateStrategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":\"25%\"}}") + "}";
        RawHttp.Response rolled = api.send("PUT", token, "/api/v2/placements/" + id,
                Map.of("Content-Type", "application/json"), rolling.getBytes());
        assertStatus(rolled, 200);
        assertThat(rolled.json().get("status").get("maxUnavailable").asInt()).isEqualTo(2);
        int mostInFlight = 0;
        JsonNode status;
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(90).toNanos();
        while (true) {
            status = api.get(token, "/api/v2/placements/" + id).json().get("status");
            mostInFlight = Math.max(mostInFlight, status.get("inFlightCount").asInt());
            assertThat(status.get("inFlightCount").asInt()).isLessThanOrEqualTo(2);
            long converging = jdbc.sql("SELECT count(*) FROM placement_server WHERE placement_id = ? AND pending_operation = 'reconcile'")
                    .param(id).query(Long.class).single();
            assertThat(converging).isLessThanOrEqualTo(2);
            if (status.get("statusCurrent").asBoolean() && status.get("updatedHostCount").asInt() == 8) {
                break;
            }
            assertThat(System.nanoTime()).as("rolling update to finish").isLessThan(deadline);
            sleep();
        }
        assertThat(mostInFlight).isPositive();
        assertThat(status.get("driftedHostCount").asInt()).isZero();
        Placements.deleteAndAwaitGone(api, token, id);
    }

    @Test
    void concurrentPlacementsNeverExceedTheReservation() throws Exception {
        String token = demoToken();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<RawHttp.Response>> results = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            int n = i;
            results.add(pool.submit(() -> {
                start.await();
                return api.post(token, "/api/v2/placements", Placements.body("race-" + n, reservation, 3,
                        "{\"policy\":\"spread\"}"));
            }));
        }
        start.countDown();
        List<String> accepted = new ArrayList<>();
        for (Future<RawHttp.Response> result : results) {
            RawHttp.Response response = result.get();
            assertThat(response.status()).as(response.toString()).isIn(202, 409);
            if (response.status() == 202) {
                accepted.add(response.json().get("metadata").get("id").asString());
            }
        }
        pool.shutdown();
        assertThat(accepted).hasSize(18); // 3 units x 18 hosts / 3 hosts each
        long placed = jdbc.sql("SELECT count(*) FROM placement_host WHERE reservation_id = ?").param(reservation)
                .query(Long.class).single();
        assertThat(placed).isEqualTo(54);
        long outside = jdbc.sql("""
                        SELECT count(*) FROM placement_host ph
                        WHERE ph.reservation_id = ? AND NOT EXISTS (SELECT 1 FROM unit_claim c
                            WHERE c.domain_id = ph.domain_id AND c.reservation_id = ph.reservation_id)""")
                .param(reservation).query(Long.class).single();
        assertThat(outside).isZero();
        for (String id : accepted) {
            api.delete(token, "/api/v2/placements/" + id);
        }
        for (String id : accepted) {
            Await.until(() -> api.get(token, "/api/v2/placements/" + id).status(), s -> s == 404, "placement gone");
        }
    }

    @Test
    void deletingTheReservationTakesPlacementsAndServersWithIt() {
        String token = demoToken();
        String owner = Reservations.create(api, token, Reservations.body("cascade", DEMO_ORG, DEMO_PROJECT, DOCS_REGION,
                1, List.of())).get("metadata").get("id").asString();
        Reservations.awaitStatus(api, token, owner, "provisioned");
        RawHttp.Response doomed = api.post(token, "/api/v2/placements", Placements.body("doomed", owner, 4,
                "{\"policy\":\"pack\"}"));
        assertStatus(doomed, 202);
        String id = doomed.json().get("metadata").get("id").asString();
        Placements.awaitProvisioned(api, token, id);
        List<String> domains = jdbc.sql("SELECT domain_id FROM unit_claim WHERE reservation_id = ?").param(owner)
                .query(String.class).list();

        assertThat(api.delete(token, "/api/v2/reservations/" + owner).status()).isEqualTo(202);
        RawHttp.Response deleting = api.get(token, "/api/v2/placements/" + id);
        if (deleting.status() == 200) { // the teardown may already be over
            assertThat(deleting.json().get("metadata").get("provisioningStatus").asString()).isEqualTo("deprovisioning");
        }
        Await.until(() -> api.get(token, "/api/v2/reservations/" + owner).status(), s -> s == 404, "reservation gone");
        assertThat(api.get(token, "/api/v2/placements/" + id).status()).isEqualTo(404);
        for (String table : List.of("placement", "placement_host", "placement_server")) {
            String column = table.equals("placement") ? "id" : "placement_id";
            assertThat(jdbc.sql("SELECT count(*) FROM " + table + " WHERE " + column + " = ?").param(id)
                    .query(Long.class).single()).as(table).isZero();
        }
        assertThat(jdbc.sql("SELECT count(*) FROM unit_claim WHERE domain_id = ANY(?)")
                .param(domains.toArray(String[]::new)).query(Long.class).single()).isZero();
    }

    @Test
    void aFailedHostFailsItsServerAndIsNeverPlacedAgain() {
        String token = demoToken();
        String id = api.post(token, "/api/v2/placements", Placements.body("fragile", reservation, 2,
                "{\"policy\":\"pack\"}")).json().get("metadata").get("id").asString();
        Placements.awaitProvisioned(api, token, id);
        JsonNode victim = Placements.servers(api, token, id).get(0);
        String host = victim.get("status").get("infrastructureRef").asString();
        assertStatus(api.post(operatorToken(), "/api/v2/operator/faults",
                "{\"kind\":\"hostFailure\",\"infrastructureRef\":\"" + host + "\"}"), 202);
        Await.until(() -> api.get(token, "/api/v2/placements/" + id).json(),
                p -> p.get("metadata").get("healthStatus").asString().equals("degraded"), "the placement to degrade");
        JsonNode failed = Placements.server(api, token, id, victim.get("metadata").get("id").asString());
        assertThat(failed.get("status").get("hostReadiness").asString()).isEqualTo("NotReady");

        // every free host of the reservation goes to a new placement; the failed one is never among them
        long free = jdbc.sql("""
                        SELECT count(*) FROM unit_claim c JOIN host h ON h.domain_id = c.domain_id
                        WHERE c.reservation_id = ? AND h.healthy
                          AND NOT EXISTS (SELECT 1 FROM placement_host p WHERE p.infrastructure_ref = h.infrastructure_ref)""")
                .param(reservation).query(Long.class).single();
        String all = api.post(token, "/api/v2/placements", Placements.body("rest", reservation, (int) free,
                "{\"policy\":\"pack\"}")).json().get("metadata").get("id").asString();
        assertThat(jdbc.sql("SELECT count(*) FROM placement_host WHERE placement_id = ? AND infrastructure_ref = ?")
                .params(all, host).query(Long.class).single()).isZero();
        assertStatus(api.post(token, "/api/v2/placements", Placements.body("none", reservation, 1,
                "{\"policy\":\"pack\"}")), 409);
        assertStatus(api.post(operatorToken(), "/api/v2/operator/faults",
                "{\"kind\":\"hostRecovery\",\"infrastructureRef\":\"" + host + "\"}"), 202);
        Placements.deleteAndAwaitGone(api, token, all);
        Placements.deleteAndAwaitGone(api, token, id);
    }

    private static boolean sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    private static List<String> ids(String query) {
        List<String> ids = new ArrayList<>();
        api.get(demoToken(), "/api/v2/placements?" + query).json().forEach(p -> ids.add(p.get("metadata").get("id").asString()));
        return ids;
    }

    private static void assertStatus(RawHttp.Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
    }
}
