package io.ringfence.reservation;

import static io.ringfence.testkit.Fixtures.DEMO_ORG;
import static io.ringfence.testkit.Fixtures.DEMO_PROJECT;
import static io.ringfence.testkit.Fixtures.OTHER_ORG;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.support.Reservations;
import io.ringfence.support.RingfenceTestBase;
import io.ringfence.testkit.Await;
import io.ringfence.testkit.RawHttp;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The organization topology view and releasing units with If-Match. */
class TopologyAndReleaseTest extends RingfenceTestBase {

    static final String REGION = "test-release"; // one pod of 4 units, used by this test only

    @org.springframework.beans.factory.annotation.Autowired
    javax.sql.DataSource dataSource;

    @Test
    void clientRecomputesTheHashFromTheTopologyAndOthersSeeOnlyThatHostsAreTaken() throws Exception {
        String token = demoToken();
        JsonNode created = Reservations.create(api, token,
                Reservations.body("mapped", DEMO_ORG, DEMO_PROJECT, REGION, 2, List.of()));
        String id = created.get("metadata").get("id").asString();
        try {
            JsonNode projection = projection(token, DEMO_ORG, "");
            JsonNode overlay = projection.get("overlays").get("reservations").get(id);
            assertThat(overlay).isNotNull();
            assertThat(overlay.get("topologyEntityTag").asString()).isEqualTo(created.get("status").get("topologyHash").asString());
            assertThat(overlay.get("units").size()).isEqualTo(2);
            assertThat(recomputedHash(projection, id)).isEqualTo(created.get("status").get("topologyHash").asString());

            // the filters narrow the overlays
            assertThat(projection(token, DEMO_ORG, "&projectID=someone-else").get("overlays").get("reservations").size())
                    .isZero();
            assertThat(projection(token, DEMO_ORG, "&reservationID=" + id).get("overlays").get("reservations").has(id))
                    .isTrue();

            // another organization sees the hosts as reserved, and nothing about whose they are
            JsonNode foreign = projection(otherToken(), OTHER_ORG, "");
            assertThat(foreign.get("overlays").get("reservations").size()).isZero();
            int reserved = 0;
            for (JsonNode pod : foreign.get("topology")) {
                for (JsonNode domain : pod.get("domains")) {
                    for (JsonNode host : domain.get("hosts")) {
                        assertThat(host.has("reservationRef")).isFalse();
                        assertThat(host.has("reservationUnitRef")).isFalse();
                        reserved += host.get("reserved").asBoolean() ? 1 : 0;
                    }
                }
            }
            assertThat(reserved).isEqualTo(36);
            assertThat(foreign.toString()).doesNotContain(id);

            RawHttp.Response forbidden = api.get(otherToken(), "/api/v2/organizations/" + DEMO_ORG + "/topology");
            assertThat(forbidden.status()).isEqualTo(403);
        } finally {
            Reservations.deleteAndAwaitGone(api, token, id);
        }
    }

    @Test
    void releaseNeedsTheCurrentHashAndFreesUnitsAtOnce() throws Exception {
        String token = demoToken();
        JsonNode created = Reservations.create(api, token,
                Reservations.body("shrinking", DEMO_ORG, DEMO_PROJECT, REGION, 3, List.of()));
        String id = created.get("metadata").get("id").asString();
        String hash = created.get("status").get("topologyHash").asString();
        String path = "/api/v2/reservations/" + id + "/units/release";
        try {
            JsonNode overlay = projection(token, DEMO_ORG, "&reservationID=" + id).get("overlays").get("reservations").get(id);
            List<String> units = new ArrayList<>();
            overlay.get("units").propertyNames().forEach(units::add);
            String body = "{\"spec\":{\"unitIds\":[\"" + units.get(0) + "\"]}}";
            int availableBefore = Reservations.unit(api, token, REGION).get("availableUnitCount").asInt();

            RawHttp.Response missing = api.post(token, path, body);
            assertThat(missing.status()).isEqualTo(428);
            assertThat(missing.json().get("error_description").asString()).contains("If-Match");
            RawHttp.Response stale = release(token, path, body, "\"sha256:" + "0".repeat(64) + "\"");
            assertThat(stale.status()).isEqualTo(412);
            RawHttp.Response unknown = release(token, path, "{\"spec\":{\"unitIds\":[\"not-mine\"]}}", "\"" + hash + "\"");
            assertThat(unknown.status()).isEqualTo(400);
            RawHttp.Response empty = release(token, path, "{\"spec\":{\"unitIds\":[]}}", "\"" + hash + "\"");
            assertThat(empty.status()).isEqualTo(400);
            RawHttp.Response everything = release(token, path, "{\"spec\":{\"unitIds\":[\"" + String.join("\",\"", units)
                    + "\"]}}", "\"" + hash + "\"");
            assertThat(everything.status()).isEqualTo(400);
            RawHttp.Response foreign = release(otherToken(), path, body, "\"" + hash + "\"");
            assertThat(foreign.status()).isEqualTo(404);
            RawHttp.Response asReader = release(personToken("carol"), path, body, "\"" + hash + "\"");
            assertThat(asReader.status()).isEqualTo(403);

            RawHttp.Response released = release(token, path, body, "\"" + hash + "\"");
            assertThat(released.status()).as(released.toString()).isEqualTo(200);
            String newHash = released.json().get("reservation").get("status").get("topologyHash").asString();
            assertThat(newHash).isNotEqualTo(hash);
            assertThat(released.header("ETag")).isEqualTo("\"" + newHash + "\"");
            assertThat(released.json().get("reservation").get("status").get("claimedUnitCount").asInt()).isEqualTo(2);
            assertThat(released.json().get("reservation").get("spec").get("count").asInt()).isEqualTo(3);
            assertThat(released.json().get("releasedUnits").get(0).get("id").asString()).isEqualTo(units.get(0));
            assertThat(released.json().get("releasedUnits").get(0).get("infrastructureRefs").size()).isEqualTo(18);
            // free again once the platform has it back (the test platform takes 20 ms)
            Await.until(() -> Reservations.unit(api, token, REGION).get("availableUnitCount").asInt(),
                    n -> n == availableBefore + 1, "the released unit to be free in the catalog");

            // the old hash is stale now, and the topology view agrees with the new one
            assertThat(release(token, path, "{\"spec\":{\"unitIds\":[\"" + units.get(1) + "\"]}}", "\"" + hash + "\"")
                    .status()).isEqualTo(412);
            assertThat(recomputedHash(projection(token, DEMO_ORG, "&reservationID=" + id), id)).isEqualTo(newHash);

            // a concurrent change holds the reservation: the release answers 409 within a second instead of waiting
            try (java.sql.Connection other = dataSource.getConnection()) {
                other.setAutoCommit(false);
                other.createStatement().execute("SELECT 1 FROM reservation WHERE id = '" + id + "' FOR UPDATE");
                RawHttp.Response concurrent = release(token, path, "{\"spec\":{\"unitIds\":[\"" + units.get(1) + "\"]}}",
                        "\"" + newHash + "\"");
                assertThat(concurrent.status()).as(concurrent.toString()).isEqualTo(409);
                other.rollback();
            }

            api.delete(token, "/api/v2/reservations/" + id);
            RawHttp.Response deleting = release(token, path, "{\"spec\":{\"unitIds\":[\"" + units.get(1) + "\"]}}",
                    "\"" + newHash + "\"");
            assertThat(deleting.status()).isIn(409, 404);
        } finally {
            Reservations.deleteIfPresent(api, token, id);
        }
    }

    private static RawHttp.Response release(String token, String path, String body, String ifMatch) {
        return api.post(token, path, body, Map.of("Content-Type", "application/json", "If-Match", ifMatch));
    }

    private static JsonNode projection(String token, String organization, String filters) {
        RawHttp.Response response = api.get(token, "/api/v2/organizations/" + organization + "/topology?regionID="
                + REGION + filters);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().size()).isEqualTo(1);
        assertThat(response.json().get(0).get("regionId").asString()).isEqualTo(REGION);
        return response.json().get(0).get("projections").get(0);
    }

    /** What any client can do: rebuild the claim text from the view and hash it. */
    static String recomputedHash(JsonNode projection, String reservationId) throws Exception {
        String podId = null;
        Map<String, List<String>> domains = new TreeMap<>();
        for (JsonNode pod : projection.get("topology")) {
            for (JsonNode domain : pod.get("domains")) {
                for (JsonNode host : domain.get("hosts")) {
                    if (host.has("reservationRef") && host.get("reservationRef").asString().equals(reservationId)) {
                        podId = pod.get("id").asString();
                        domains.computeIfAbsent(domain.get("id").asString(), k -> new ArrayList<>())
                                .add(host.get("infrastructureRef").asString());
                    }
                }
            }
        }
        StringBuilder text = new StringBuilder("pod:" + podId + "\n");
        domains.forEach((domain, hosts) -> {
            text.append("domain:").append(domain).append('\n');
            hosts.stream().sorted().forEach(h -> text.append("host:").append(h).append('\n'));
        });
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
