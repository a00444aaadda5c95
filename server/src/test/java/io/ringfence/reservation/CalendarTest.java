package io.ringfence.reservation;

import static io.ringfence.testkit.Fixtures.DEMO_ORG;
import static io.ringfence.testkit.Fixtures.DEMO_PROJECT;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.support.Reservations;
import io.ringfence.support.RingfenceTestBase;
import io.ringfence.testkit.Await;
import io.ringfence.testkit.RawHttp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Reservations in time, on pools small enough that every answer is known in advance: the window rules, bookings
 * that overlap or touch, open-ended reservations against later bookings, the catalog, the 507 descriptions,
 * offerings and dry runs that agree with the creates that follow, extensions, and starts and ends on time.
 */
class CalendarTest extends RingfenceTestBase {

    static final String CALENDAR = "test-calendar";     // 2 pods of 4 units
    static final String ON_TIME = "test-calendar-time"; // 1 pod of 2 units
    static final String RACE = "test-calendar-race";    // 1 pod of 8 units

    @Autowired
    JdbcClient jdbc;

    static String body(String region, int count, Instant start, Instant end) {
        return """
                {"metadata":{"name":"booked"},
                 "spec":{"organizationId":"%s","projectId":"%s","regionId":"%s","accelerator":"GB300","unit":"NVL72",
                  "count":%d%s%s}}""".formatted(DEMO_ORG, DEMO_PROJECT, region, count,
                start == null ? "" : ",\"startTime\":\"" + start + "\"", end == null ? "" : ",\"endTime\":\"" + end + "\"");
    }

    RawHttp.Response create(String region, int count, Instant start, Instant end) {
        return api.post(demoToken(), "/api/v2/reservations", body(region, count, start, end));
    }

    static String id(RawHttp.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        return response.json().get("metadata").get("id").asString();
    }

    JsonNode catalog(String region) {
        RawHttp.Response response = api.get(demoToken(), "/api/v2/reservation-units?regionID=" + region);
        assertThat(response.status()).isEqualTo(200);
        return response.json().get(0);
    }

    @Test
    void windowRulesAreCheckedBeforeAnythingIsHeld() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant later = now.plus(Duration.ofDays(3));
        Map<String, RawHttp.Response> refused = Map.of(
                "end before start", create(CALENDAR, 1, later, later.minusSeconds(3600)),
                "end equal to start", create(CALENDAR, 1, later, later),
                "shorter than the minimum", create(CALENDAR, 1, later, later.plusSeconds(1)),
                "start long past", create(CALENDAR, 1, now.minusSeconds(120), now.plusSeconds(3600)),
                "beyond the horizon", create(CALENDAR, 1, now.plus(Duration.ofDays(183)),
                        now.plus(Duration.ofDays(184))),
                "not a time", api.post(demoToken(), "/api/v2/reservations",
                        body(CALENDAR, 1, null, null).replace("\"count\":1", "\"count\":1,\"startTime\":\"tomorrow\"")));
        refused.forEach((what, response) -> {
            assertThat(response.status()).as(what + ": " + response).isEqualTo(400);
            assertThat(response.json().get("error").asString()).as(what).isEqualTo("invalid_request");
        });
        // a start up to 60 s in the past means now; an offset other than UTC is converted, to the second
        String id = id(create(CALENDAR, 1, now.minusSeconds(30), null));
        try {
            JsonNode read = api.get(demoToken(), "/api/v2/reservations/" + id).json();
            assertThat(read.get("status").get("claimedUnitCount").asInt()).isEqualTo(1);
            assertThat(read.get("status").has("topologyHash")).isTrue();
        } finally {
            Reservations.deleteAndAwaitGone(api, demoToken(), id);
        }
        Instant start = now.plus(Duration.ofDays(5)).truncatedTo(ChronoUnit.HOURS);
        RawHttp.Response converted = api.post(demoToken(), "/api/v2/reservations", body(CALENDAR, 1, null, null)
                .replace("\"count\":1", "\"count\":1,\"startTime\":\"" + start.atOffset(java.time.ZoneOffset.ofHours(2))
                        .plusNanos(750_000_000) + "\",\"endTime\":\"" + start.plusSeconds(3600)
                        .atOffset(java.time.ZoneOffset.ofHours(-5)) + "\""));
        String convertedId = id(converted);
        try {
            JsonNode spec = converted.json().get("spec");
            assertThat(spec.get("startTime").asString()).isEqualTo(start.toString());
            assertThat(spec.get("endTime").asString()).isEqualTo(start.plusSeconds(3600).toString());
        } finally {
            Reservations.deleteAndAwaitGone(api, demoToken(), convertedId);
        }
    }

    @Test
    void bookingsOverlapOrNotAndTheCatalogCountsWhatAnOpenEndedCreateCouldTake() {
        Instant t = Instant.now().plus(Duration.ofDays(10)).truncatedTo(ChronoUnit.HOURS);
        Instant h1 = t.plusSeconds(3600);
        Instant h2 = t.plusSeconds(7200);
        Instant h3 = t.plusSeconds(3 * 3600);
        List<String> created = new ArrayList<>();
        try {
            assertThat(catalog(CALENDAR).get("availableUnitCount").asInt()).isEqualTo(8);
            RawHttp.Response first = create(CALENDAR, 4, t, h1);
            created.add(id(first));
            JsonNode booked = first.json();
            assertThat(booked.get("spec").get("startTime").asString()).isEqualTo(t.toString());
            assertThat(booked.get("spec").get("endTime").asString()).isEqualTo(h1.toString());
            assertThat(booked.get("metadata").get("provisioningStatus").asString()).isEqualTo("pending");
            assertThat(booked.get("metadata").get("provisioningStatusDetail").get("reason").asString())
                    .isEqualTo("DependencyNotReady");
            assertThat(booked.get("metadata").get("provisioningStatusDetail").get("message").asString())
                    .isEqualTo("scheduled to start at " + t);
            assertThat(booked.get("status").get("claimedUnitCount").asInt()).isZero();
            assertThat(booked.get("status").has("topologyHash")).isFalse();
            created.add(id(create(CALENDAR, 2, t, h1)));

            // the calendar view: counts per pod for anyone, bookings only for those who may read them
            String view = "/api/v2/reservation-calendar?regionID=" + CALENDAR + "&accelerator=GB300&unit=NVL72";
            JsonNode theirs = api.get(otherToken(), view).json();
            assertThat(theirs.get("bookings").size()).isZero();
            assertThat(theirs.get("pods").size()).isEqualTo(2);
            List<Integer> freeAtT = new ArrayList<>();
            for (JsonNode pod : theirs.get("pods")) {
                assertThat(pod.get("totalUnitCount").asInt()).isEqualTo(4);
                assertThat(pod.get("free").get(0).get("freeUnitCount").asInt()).isEqualTo(4);
                for (JsonNode step : pod.get("free")) {
                    if (step.get("time").asString().equals(t.toString())) {
                        freeAtT.add(step.get("freeUnitCount").asInt());
                    }
                }
            }
            assertThat(freeAtT).containsExactlyInAnyOrder(0, 2);
            for (String token : List.of(demoToken(), operatorToken())) {
                JsonNode mine = api.get(token, view).json();
                assertThat(mine.get("bookings").size()).isEqualTo(2);
                JsonNode bar = mine.get("bookings").findParents("reservationId").stream()
                        .filter(b -> b.get("reservationId").asString().equals(created.get(0))).findFirst().orElseThrow();
                assertThat(bar.get("unitIds").size()).isEqualTo(4);
                assertThat(bar.get("startTime").asString()).isEqualTo(t.toString());
                assertThat(bar.get("endTime").asString()).isEqualTo(h1.toString());
            }
            assertThat(api.get(demoToken(), view + "&from=" + h1 + "&until=" + t).status()).isEqualTo(400);

            // 3 units over [t+30m, t+90m): the window overlaps both bookings; 2 fit, and 3 fit from t+1h
            RawHttp.Response overlapping = create(CALENDAR, 3, t.plusSeconds(1800), t.plusSeconds(5400));
            assertThat(overlapping.status()).as(overlapping.toString()).isEqualTo(507);
            assertThat(overlapping.json().get("error").asString()).isEqualTo("conflict");
            assertThat(overlapping.json().get("error_description").asString())
                    .contains("largest contiguous set available over that window is 2")
                    .contains("the earliest start at which it fits is " + h1);

            // the catalog counts what an open-ended create could take now: units booked later are not free
            JsonNode figures = catalog(CALENDAR);
            assertThat(figures.get("availableUnitCount").asInt()).isEqualTo(2);
            assertThat(figures.get("largestContiguousUnitCount").asInt()).isEqualTo(2);
            assertThat(figures.get("totalCount").asInt()).isEqualTo(8);
            RawHttp.Response tooMany = create(CALENDAR, 3, null, null);
            assertThat(tooMany.status()).as(tooMany.toString()).isEqualTo(507);
            assertThat(tooMany.json().get("error_description").asString())
                    .contains("the largest contiguous set available is 2")
                    .contains("the earliest start at which it fits is " + h1);
            String openEnded = id(create(CALENDAR, 2, null, null));
            created.add(openEnded);
            assertThat(catalog(CALENDAR).get("availableUnitCount").asInt()).isZero();

            // touching windows do not overlap: the 4-unit pod is free again from t+1h
            created.add(id(create(CALENDAR, 4, h1, h2)));

            // offerings agree with the create that follows: only the 4-unit pod can take 4, busy until t+2h
            RawHttp.Response offerings = api.get(demoToken(), "/api/v2/reservation-offerings?regionID=" + CALENDAR
                    + "&accelerator=GB300&unit=NVL72&count=4&duration=PT1H&earliestStart=" + t + "&limit=3");
            assertThat(offerings.status()).as(offerings.toString()).isEqualTo(200);
            assertThat(offerings.json().get(0).get("startTime").asString()).isEqualTo(h2.toString());
            assertThat(offerings.json().get(0).get("endTime").asString()).isEqualTo(h3.toString());
            assertThat(offerings.json().get(0).get("regionId").asString()).isEqualTo(CALENDAR);
            assertThat(offerings.json().get(0).get("count").asInt()).isEqualTo(4);
            assertThat(offerings.json().size()).isBetween(1, 3);

            // a dry run answers what the create would, writes nothing, and agrees with the create that follows
            RawHttp.Response dry = api.post(demoToken(), "/api/v2/reservations?dryRun=true", body(CALENDAR, 4, h2, h3));
            assertThat(dry.status()).as(dry.toString()).isEqualTo(202);
            assertThat(dry.header("Ringfence-Dry-Run")).isEqualTo("true");
            String dryId = dry.json().get("metadata").get("id").asString();
            assertThat(api.get(demoToken(), "/api/v2/reservations/" + dryId).status()).isEqualTo(404);
            assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE resource_id = ?").param(dryId)
                    .query(Long.class).single()).isZero();
            String fits = id(create(CALENDAR, 4, h2, h3));
            created.add(fits);
            RawHttp.Response dryRefused = api.post(demoToken(), "/api/v2/reservations?dryRun=true",
                    body(CALENDAR, 4, h2, h3));
            RawHttp.Response refused = create(CALENDAR, 4, h2, h3);
            assertThat(dryRefused.status()).isEqualTo(507).isEqualTo(refused.status());
            assertThat(dryRefused.header("Ringfence-Dry-Run")).isEqualTo("true");
            assertThat(dryRefused.json().get("error_description").asString())
                    .isEqualTo(refused.json().get("error_description").asString());
            assertThat(api.post(otherToken(), "/api/v2/reservations?dryRun=true", body(CALENDAR, 1, h2, h3))
                    .status()).isEqualTo(403);

            // extensions: later is fine until another booking holds the units; the same end changes nothing
            assertThat(extend(fits, t.plusSeconds(4 * 3600)).status()).isEqualTo(200);
            created.add(id(create(CALENDAR, 4, t.plusSeconds(5 * 3600), t.plusSeconds(6 * 3600))));
            RawHttp.Response blocked = extend(fits, t.plusSeconds(6 * 3600));
            assertThat(blocked.status()).as(blocked.toString()).isEqualTo(507);
            assertThat(blocked.json().get("error_description").asString())
                    .contains("the latest end possible is " + t.plusSeconds(5 * 3600));
            RawHttp.Response touching = extend(fits, t.plusSeconds(5 * 3600));
            assertThat(touching.status()).as(touching.toString()).isEqualTo(200);
            assertThat(touching.json().get("spec").get("endTime").asString())
                    .isEqualTo(t.plusSeconds(5 * 3600).toString());
            assertThat(extend(fits, t.plusSeconds(5 * 3600)).status()).isEqualTo(200);
            assertThat(extend(fits, t.plusSeconds(4 * 3600)).status()).isEqualTo(400);
            assertThat(extend(fits, Instant.now().minusSeconds(60)).status()).isEqualTo(400);
            assertThat(api.post(otherToken(), "/api/v2/reservations/" + fits + "/extend",
                    "{\"endTime\":\"" + t.plusSeconds(5 * 3600) + "\"}").status()).isEqualTo(404);
            assertThat(api.post(personToken("carol"), "/api/v2/reservations/" + fits + "/extend",
                    "{\"endTime\":\"" + t.plusSeconds(5 * 3600) + "\"}").status()).isEqualTo(403);

            // before its start a reservation has no units: placements and releases are conflicts
            String notStarted = created.get(0);
            RawHttp.Response placement = api.post(demoToken(), "/api/v2/placements", """
                    {"metadata":{"name":"early"},"spec":{"reservationId":"%s","networkId":"%s",
                     "serverSpec":{"imageId":"ubuntu-24.04","sshCertificateAuthorityId":"00de8f3c-77d6-424a-93c3-baf9153c7f21",
                      "networking":{"securityGroups":["7ddfdbf0-bdbf-4630-9220-f1e6876f2dd0"]}},
                     "count":1,"constraints":{"policy":"pack","whenUnsatisfiable":"fail"}}}"""
                    .formatted(notStarted, io.ringfence.testkit.Fixtures.DOCS_NETWORK));
            assertThat(placement.status()).as(placement.toString()).isEqualTo(409);
            assertThat(placement.json().get("error_description").asString()).contains("scheduled to start at " + t);
            RawHttp.Response release = api.post(demoToken(), "/api/v2/reservations/" + notStarted + "/units/release",
                    "{\"spec\":{\"unitIds\":[\"any\"]}}", Map.of("If-Match", "\"sha256:x\"", "Content-Type", "application/json"));
            assertThat(release.status()).as(release.toString()).isEqualTo(409);
            assertThat(release.json().get("error_description").asString()).contains("scheduled to start at " + t);

            // deleting a booking cancels it: its window is free again at once
            Reservations.deleteAndAwaitGone(api, demoToken(), notStarted);
            created.remove(notStarted);
            created.add(id(create(CALENDAR, 4, t, h1)));
        } finally {
            created.forEach(id -> Reservations.deleteIfPresent(api, demoToken(), id));
        }
        assertThat(catalog(CALENDAR).get("availableUnitCount").asInt()).isEqualTo(8);
    }

    RawHttp.Response extend(String id, Instant end) {
        return api.post(demoToken(), "/api/v2/reservations/" + id + "/extend", "{\"endTime\":\"" + end + "\"}");
    }

    @Test
    void offeringsRefuseBadParameters() {
        String base = "/api/v2/reservation-offerings?regionID=" + CALENDAR + "&accelerator=GB300&unit=NVL72";
        for (String query : List.of("&count=0&duration=PT1H", "&count=1&duration=soon", "&count=1&duration=PT1S",
                "&count=1&duration=PT1H&limit=0", "&count=1&duration=PT1H&earliestStart=yesterday",
                "&duration=PT1H", "&count=1")) {
            RawHttp.Response response = api.get(demoToken(), base + query);
            assertThat(response.status()).as(query + ": " + response).isEqualTo(400);
            assertThat(response.json().get("error").asString()).isEqualTo("invalid_request");
        }
        assertThat(api.get(demoToken(), "/api/v2/reservation-offerings?regionID=nowhere&accelerator=GB300&unit=NVL72"
                + "&count=1&duration=PT1H").status()).isEqualTo(400);
        assertThat(api.get(null, base + "&count=1&duration=PT1H").status()).isEqualTo(401);
        // more units than the region has: nothing fits within the horizon
        RawHttp.Response none = api.get(otherToken(), base + "&count=9&duration=P7D");
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.json().size()).isZero();
    }

    /** Real short windows: it starts within moments of its start and is gone within moments of its end. */
    @Test
    void aWindowStartsAndEndsOnTime() {
        Instant start = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
        Instant end = start.plusSeconds(4);
        String id = id(create(ON_TIME, 2, start, end));
        try {
            JsonNode before = api.get(demoToken(), "/api/v2/reservations/" + id).json();
            assertThat(before.get("status").get("claimedUnitCount").asInt()).isZero();
            JsonNode started = Reservations.awaitStatus(api, demoToken(), id, "provisioned");
            assertThat(Instant.now()).isAfterOrEqualTo(start);
            assertThat(started.get("status").get("claimedUnitCount").asInt()).isEqualTo(2);
            assertThat(started.get("status").get("topologyHash").asString()).startsWith("sha256:");
            assertThat(jdbc.sql("SELECT count(*) FROM unit_claim WHERE reservation_id = ?").param(id)
                    .query(Long.class).single()).isEqualTo(2);
            Await.until(() -> api.get(demoToken(), "/api/v2/reservations/" + id), r -> r.status() == 404,
                    "the reservation to end", Duration.ofSeconds(30));
            assertThat(Instant.now()).isAfterOrEqualTo(end);
            assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE resource_id = ? AND verb IN ('start', 'end')")
                    .param(id).query(Long.class).single()).isEqualTo(2);
        } finally {
            Reservations.deleteIfPresent(api, demoToken(), id);
        }
    }

    /** A booked unit that fails before the start is swapped, at the start, for a healthy one of the same pod. */
    @Test
    void aBookedUnitThatFailedIsSwappedAtTheStart() {
        String region = "test-calendar-swap"; // 1 pod of 2 units
        Instant start = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS);
        String id = id(create(region, 1, start, start.plusSeconds(3600)));
        String view = "/api/v2/reservation-calendar?regionID=" + region + "&accelerator=GB300&unit=NVL72";
        String booked = api.get(demoToken(), view).json().get("bookings").get(0).get("unitIds").get(0).asString();
        String health = "/api/v2/operator/domains/" + booked + "/health";
        assertThat(api.send("PUT", operatorToken(), health, Map.of("Content-Type", "application/json"),
                "{\"healthy\":false}".getBytes()).status()).isEqualTo(200);
        try {
            JsonNode started = Reservations.awaitStatus(api, demoToken(), id, "provisioned");
            assertThat(started.get("status").get("claimedUnitCount").asInt()).isEqualTo(1);
            assertThat(started.get("metadata").get("healthStatus").asString()).isEqualTo("healthy");
            List<String> claimed = jdbc.sql("SELECT domain_id FROM unit_claim WHERE reservation_id = ?").param(id)
                    .query(String.class).list();
            assertThat(claimed).hasSize(1).doesNotContain(booked);
            assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE resource_id = ? AND verb = 'swap-unit'")
                    .param(id).query(Long.class).single()).isEqualTo(1);
        } finally {
            api.send("PUT", operatorToken(), health, Map.of("Content-Type", "application/json"),
                    "{\"healthy\":true}".getBytes());
            Reservations.deleteIfPresent(api, demoToken(), id);
        }
    }

    /**
     * 32 windowed creates at once over one pod of 8 units: four disjoint slots, eight requests of 2 units each per
     * slot, so exactly 4 fit in each slot whatever the order. The database holds no domain booked twice at once.
     */
    @Test
    void concurrentWindowedCreatesBookExactlyTheFeasibleSet() throws Exception {
        Instant t = Instant.now().plus(Duration.ofDays(20)).truncatedTo(ChronoUnit.HOURS);
        List<Callable<RawHttp.Response>> requests = new ArrayList<>();
        for (int slot = 0; slot < 4; slot++) {
            Instant start = t.plusSeconds(slot * 3600L);
            for (int i = 0; i < 8; i++) {
                requests.add(() -> create(RACE, 2, start, start.plusSeconds(3600)));
            }
        }
        String token = demoToken(); // issued once before the burst, so the burst is all creates
        assertThat(token).isNotBlank();
        List<String> accepted = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<RawHttp.Response>> answers = pool.invokeAll(requests);
            int[] perSlot = new int[4];
            for (int i = 0; i < answers.size(); i++) {
                RawHttp.Response response = answers.get(i).get();
                assertThat(response.status()).as(response.toString()).isIn(202, 507);
                if (response.status() == 202) {
                    accepted.add(response.json().get("metadata").get("id").asString());
                    perSlot[i / 8]++;
                }
            }
            assertThat(perSlot).containsExactly(4, 4, 4, 4);
            assertThat(jdbc.sql("""
                    SELECT count(*) FROM unit_booking a JOIN unit_booking b
                      ON a.domain_id = b.domain_id AND a.reservation_id < b.reservation_id AND a.during && b.during""")
                    .query(Long.class).single()).isZero();
            assertThat(jdbc.sql("""
                    SELECT count(*) FROM unit_booking b JOIN nvlink_domain d ON d.id = b.domain_id
                    JOIN pod p ON p.id = d.pod_id JOIN unit_type u ON u.id = p.unit_type_id WHERE u.region_id = ?""")
                    .param(RACE).query(Long.class).single()).isEqualTo(32);
        } finally {
            pool.shutdownNow();
            accepted.forEach(id -> Reservations.deleteIfPresent(api, demoToken(), id));
        }
    }
}
