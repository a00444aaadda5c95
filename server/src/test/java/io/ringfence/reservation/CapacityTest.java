package io.ringfence.reservation;

import static io.ringfence.testkit.Fixtures.DEMO_ORG;
import static io.ringfence.testkit.Fixtures.DEMO_PROJECT;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.support.Reservations;
import io.ringfence.support.RingfenceTestBase;
import io.ringfence.testkit.RawHttp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Admission against real capacity: 507, catalog figures, and many creates racing for few units. */
class CapacityTest extends RingfenceTestBase {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    FreeUnitCache freeUnitCache;

    @Autowired
    ReservationStore store;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    @Test
    void theCachedFreeSetIsTheDatabasesWheneverItsVersionIs() {
        String region = "test-capacity";
        String token = demoToken();
        long pool = jdbc.sql("SELECT id FROM unit_type WHERE region_id = ?").param(region).query(Long.class).single();
        List<String> created = new ArrayList<>();
        try {
            created.add(createIn(region, 3));
            assertThat(cacheMatchesDatabase(pool)).as("a create publishes what it leaves free").isTrue();
            created.add(createIn(region, 1));
            assertThat(cacheMatchesDatabase(pool)).isTrue();
            // a delete hands its units back to the cached set, under the versions its two steps make: asked for
            // (its bookings end) and done by the reconciler (its holdings go)
            Reservations.deleteAndAwaitGone(api, token, created.remove(created.size() - 1));
            assertThat(cacheMatchesDatabase(pool)).as("after a delete").isTrue();
            created.add(createIn(region, 1));
            assertThat(cacheMatchesDatabase(pool)).isTrue();

            // a change by anything else (an operator's drain here) moves the version past the cached entry
            String drained = store.freeUnits(pool).get(0).unitId();
            jdbc.sql("UPDATE nvlink_domain SET draining = true WHERE id = ?").param(drained).update();
            assertThat(cacheMatchesDatabase(pool)).as("stale after a drain").isFalse();
            String next = createIn(region, 1);
            created.add(next);
            assertThat(jdbc.sql("SELECT domain_id FROM unit_claim WHERE reservation_id = ?").param(next)
                    .query(String.class).list()).doesNotContain(drained);
            assertThat(cacheMatchesDatabase(pool)).isTrue();
            jdbc.sql("UPDATE nvlink_domain SET draining = false WHERE id = ?").param(drained).update();
            assertThat(cacheMatchesDatabase(pool)).isFalse();
            createIn(region, 1, created);
            assertThat(cacheMatchesDatabase(pool)).isTrue();

            // the hosts read with the free set (for topology hashes) are as current as its version: a manifest
            // moving hosts moves every pool's version; a health report does not
            jdbc.sql("UPDATE host SET healthy = healthy WHERE domain_id = ?").param(drained).update();
            assertThat(cacheMatchesDatabase(pool)).as("after a health write").isTrue();
            jdbc.sql("UPDATE host SET position = position WHERE domain_id = ?").param(drained).update();
            assertThat(cacheMatchesDatabase(pool)).as("after hosts moved").isFalse();
        } finally {
            created.forEach(id -> Reservations.deleteAndAwaitGone(api, token, id));
        }
        createIn(region, 1);
        assertThat(cacheMatchesDatabase(pool)).as("after releases and a reload").isTrue();
        Reservations.deleteAndAwaitGone(api, token, jdbc.sql("SELECT id FROM reservation WHERE unit_type_id = ?")
                .param(pool).query(String.class).single());
    }

    @Test
    void racingCreatesInOnePoolNeverChooseAHeldUnit() throws Exception {
        // 48 units in 4 pods; 2 rounds of 20 creates of one unit at once: everything fits, so every answer is 202,
        // and no create ever had to allocate again. A conflict would mean a create decided from a free set that
        // missed a claim committed before it took the pool lock (a version read from a snapshot older than the
        // lock, for one), which the unique claim key catches but costs the create a second allocation.
        String region = "test-contention-cached";
        String token = demoToken();
        double conflictsBefore = conflicts(region);
        List<String> accepted = new ArrayList<>();
        try {
            for (int round = 0; round < 2; round++) {
                List<String> bodies = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    bodies.add(Reservations.body("racing", DEMO_ORG, DEMO_PROJECT, region, 1, List.of()));
                }
                for (RawHttp.Response response : Reservations.createAtOnce(api, token, bodies)) {
                    assertThat(response.status()).as(response.toString()).isEqualTo(202);
                    accepted.add(response.json().get("metadata").get("id").asString());
                }
            }
            List<String> claimed = jdbc.sql("""
                            SELECT c.domain_id FROM unit_claim c JOIN reservation r ON r.id = c.reservation_id
                            WHERE r.region_id = ?""").param(region).query(String.class).list();
            assertThat(claimed).hasSize(40).doesNotHaveDuplicates();
            assertThat(conflicts(region)).as("creates that had to allocate again").isEqualTo(conflictsBefore);
        } finally {
            // all deletes first, then the waits: the reconciler tears them down together
            accepted.forEach(id -> assertThat(api.delete(token, "/api/v2/reservations/" + id).status()).isEqualTo(202));
            accepted.forEach(id -> Reservations.deleteIfPresent(api, token, id));
        }
    }

    private double conflicts(String region) {
        io.micrometer.core.instrument.Counter counter = meters.find("ringfence.admission.conflicts")
                .tag("region", region).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void theAnswerOfACreateIsTheReservationAsStored() {
        // the create answers from the values it wrote, not from a read-back: a GET must show the same resource,
        // apart from what the reconciler may have moved since (its progress and when it last checked the claim)
        String token = demoToken();
        String now = """
                {"metadata":{"name":"as-stored","description":"answer from what was written",
                  "tags":[{"name":"team","value":"ml"},{"name":"tier","value":"gold"}]},
                 "spec":{"organizationId":"%s","projectId":"%s","regionId":"test-capacity","accelerator":"GB300",
                  "unit":"NVL72","count":2}}""".formatted(DEMO_ORG, DEMO_PROJECT);
        java.time.Instant start = java.time.Instant.now().plus(java.time.Duration.ofDays(30))
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String later = """
                {"metadata":{"name":"as-stored-later"},
                 "spec":{"organizationId":"%s","projectId":"%s","regionId":"test-calendar","accelerator":"GB300",
                  "unit":"NVL72","count":1,"startTime":"%s","endTime":"%s"}}""".formatted(DEMO_ORG, DEMO_PROJECT,
                start, start.plus(java.time.Duration.ofHours(3)));
        for (String body : List.of(now, later)) {
            JsonNode answer = Reservations.create(api, token, body);
            String id = answer.get("metadata").get("id").asString();
            try {
                RawHttp.Response read = api.get(token, "/api/v2/reservations/" + id);
                assertThat(read.status()).isEqualTo(200);
                assertThat(withoutReconcilerProgress(read.json())).isEqualTo(withoutReconcilerProgress(answer));
                assertThat(answer.get("metadata").get("provisioningStatus").asString()).isEqualTo("pending");
            } finally {
                Reservations.deleteAndAwaitGone(api, token, id);
            }
        }
    }

    private static JsonNode withoutReconcilerProgress(JsonNode reservation) {
        tools.jackson.databind.node.ObjectNode copy = (tools.jackson.databind.node.ObjectNode) reservation.deepCopy();
        ((tools.jackson.databind.node.ObjectNode) copy.get("metadata")).remove(
                List.of("provisioningStatus", "provisioningStatusDetail"));
        ((tools.jackson.databind.node.ObjectNode) copy.get("status")).remove("topologyObservedAt");
        return copy;
    }

    private void createIn(String region, int count, List<String> created) {
        created.add(createIn(region, count));
    }

    private String createIn(String region, int count) {
        return Reservations.create(api, demoToken(), Reservations.body("cached-" + count, DEMO_ORG, DEMO_PROJECT,
                region, count, List.of())).get("metadata").get("id").asString();
    }

    /** Whether the cache holds the database's version; if it does, its free set must be the database's. */
    private boolean cacheMatchesDatabase(long pool) {
        Long version = jdbc.sql("SELECT version FROM pool_free_version WHERE unit_type_id = ?").param(pool)
                .query(Long.class).optional().orElse(0L);
        FreeUnitCache.Entry entry = freeUnitCache.entry(pool);
        if (entry == null || entry.version() != version) {
            return false;
        }
        // as the next create would see it: the publishing create's own units taken out
        entry = freeUnitCache.current(pool, version, java.time.Instant.now());
        assertThat(entry).isNotNull();
        assertThat(new HashSet<>(entry.index().freeUnits())).isEqualTo(new HashSet<>(store.freeUnits(pool)));
        return true;
    }

    @Test
    void catalogFollowsReservationsAnd507NamesTheLargestContiguousCount() {
        String region = "test-capacity"; // 2 pods of 4 units, used by this test only
        String token = demoToken();
        JsonNode empty = Reservations.unit(api, token, region);
        assertThat(empty.get("totalCount").asInt()).isEqualTo(8);
        assertThat(empty.get("availableUnitCount").asInt()).isEqualTo(8);
        assertThat(empty.get("largestContiguousUnitCount").asInt()).isEqualTo(4);

        RawHttp.Response tooBig = api.post(token, "/api/v2/reservations",
                Reservations.body("too-big", DEMO_ORG, DEMO_PROJECT, region, 5, List.of()));
        assertThat(tooBig.status()).isEqualTo(507);
        assertThat(tooBig.json().get("error").asString()).isEqualTo("conflict");
        assertThat(tooBig.json().get("error_description").asString()).contains("5").contains("largest contiguous")
                .contains("is 4");

        String three = Reservations.create(api, token, Reservations.body("three", DEMO_ORG, DEMO_PROJECT, region, 3,
                List.of())).get("metadata").get("id").asString();
        JsonNode during = Reservations.unit(api, token, region);
        assertThat(during.get("availableUnitCount").asInt()).isEqualTo(5);
        assertThat(during.get("largestContiguousUnitCount").asInt()).isEqualTo(4);

        // best fit: a 1-unit request goes to the pod with 1 free unit, keeping the other pod whole
        String one = Reservations.create(api, token, Reservations.body("one", DEMO_ORG, DEMO_PROJECT, region, 1,
                List.of())).get("metadata").get("id").asString();
        assertThat(podOf(one)).isEqualTo(podOf(three));
        JsonNode full = Reservations.unit(api, token, region);
        assertThat(full.get("availableUnitCount").asInt()).isEqualTo(4);
        assertThat(full.get("largestContiguousUnitCount").asInt()).isEqualTo(4);

        RawHttp.Response huge = api.post(token, "/api/v2/reservations",
                Reservations.body("huge", DEMO_ORG, DEMO_PROJECT, region, Integer.MAX_VALUE, List.of()));
        assertThat(huge.status()).isEqualTo(507);
        assertThat(huge.json().get("error_description").asString()).contains(String.valueOf(Integer.MAX_VALUE));

        Reservations.deleteAndAwaitGone(api, token, three);
        Reservations.deleteAndAwaitGone(api, token, one);
        JsonNode after = Reservations.unit(api, token, region);
        assertThat(after.get("availableUnitCount").asInt()).isEqualTo(8);
        assertThat(after.get("largestContiguousUnitCount").asInt()).isEqualTo(4);
    }

    @Test
    void concurrentCreatesNeverOverbook() throws Exception {
        String region = "test-contention"; // 2 pods of 5 units: 10 units, used by this test only
        String token = demoToken();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            bodies.add(Reservations.body("race-1", DEMO_ORG, DEMO_PROJECT, region, 1, List.of()));
        }
        int acceptedUnits = 0;
        List<String> accepted = new ArrayList<>();
        for (RawHttp.Response response : Reservations.createAtOnce(api, token, bodies)) {
            assertThat(response.status()).as(response.toString()).isIn(202, 507);
            if (response.status() == 202) {
                accepted.add(response.json().get("metadata").get("id").asString());
                acceptedUnits += response.json().get("status").get("claimedUnitCount").asInt();
            }
        }
        List<String[]> claims = jdbc.sql("""
                        SELECT c.domain_id, c.reservation_id FROM unit_claim c
                        JOIN reservation r ON r.id = c.reservation_id WHERE r.region_id = ?""")
                .param(region).query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)}).list();
        Set<String> domains = new HashSet<>();
        claims.forEach(c -> assertThat(domains.add(c[0])).as("unit %s claimed twice", c[0]).isTrue());
        assertThat(claims).hasSize(acceptedUnits);
        // exactly what fits is accepted: ten 1-unit reservations, and 54 answers of 507
        assertThat(accepted).hasSize(10);
        assertThat(acceptedUnits).isEqualTo(10);
        JsonNode unit = Reservations.unit(api, token, region);
        assertThat(unit.get("availableUnitCount").asInt()).isZero();
        assertThat(unit.get("largestContiguousUnitCount").asInt()).isZero();
        assertThat(unit.get("totalCount").asInt()).isEqualTo(10);
        for (String id : accepted) {
            List<String> pods = jdbc.sql("""
                            SELECT DISTINCT d.pod_id FROM unit_claim c JOIN nvlink_domain d ON d.id = c.domain_id
                            WHERE c.reservation_id = ?""").param(id).query(String.class).list();
            assertThat(pods).as("units of %s lie in one pod", id).hasSize(1);
        }
        for (String id : accepted) {
            Reservations.deleteAndAwaitGone(api, token, id);
        }
        assertThat(Reservations.unit(api, token, region).get("availableUnitCount").asInt()).isEqualTo(10);
    }

    private String podOf(String reservationId) {
        return jdbc.sql("SELECT pod_id FROM reservation WHERE id = ?").param(reservationId).query(String.class).single();
    }
}
