package io.ringfence.reservation;

import static io.ringfence.testkit.Fixtures.DEMO_ORG;
import static io.ringfence.testkit.Fixtures.DOCS_REGION;
import static io.ringfence.testkit.Fixtures.SECOND_REGION;
import static io.ringfence.testkit.RawHttp.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.support.Reservations;
import io.ringfence.support.RingfenceTestBase;
import io.ringfence.testkit.Fixtures;
import io.ringfence.testkit.RawHttp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Filters: OR within one parameter, AND across parameters, every tag must match. */
class ListFilterTest extends RingfenceTestBase {

    static final String PROJECT_A = "filter-project-a";
    static final String PROJECT_B = "filter-project-b";
    static String a1;
    static String a2;
    static String b1;

    @BeforeAll
    void createReservations() {
        // the identity service places both projects in the demo organization: without that, no grant there
        // reaches them (see ProjectOwnershipTest)
        identity.placeProjects(DEMO_ORG, PROJECT_A, PROJECT_B);
        String token = demoToken();
        a1 = id(Reservations.create(api, token, Reservations.body("a1", DEMO_ORG, PROJECT_A, DOCS_REGION, 1,
                List.of(new String[] {"team", "ml"}, new String[] {"tier", "gold"}))));
        a2 = id(Reservations.create(api, token, Reservations.body("a2", DEMO_ORG, PROJECT_A, SECOND_REGION, 1,
                List.<String[]>of(new String[] {"team", "ml"}))));
        b1 = id(Reservations.create(api, token, Reservations.body("b1", DEMO_ORG, PROJECT_B, SECOND_REGION, 1,
                List.of(new String[] {"team", "infra"}, new String[] {"tier", "gold"}))));
    }

    @AfterAll
    void deleteReservations() {
        for (String id : List.of(a1, a2, b1)) {
            Reservations.deleteAndAwaitGone(api, demoToken(), id);
        }
    }

    @Test
    void projectFilterOrsItsValues() {
        assertThat(ids("projectID=" + PROJECT_A)).containsExactlyElementsOf(sorted(a1, a2));
        assertThat(ids("projectID=" + PROJECT_A + "&projectID=" + PROJECT_B)).containsExactlyElementsOf(sorted(a1, a2, b1));
    }

    @Test
    void differentParametersAreAnded() {
        assertThat(ids("projectID=" + PROJECT_A + "&regionID=" + SECOND_REGION)).containsExactly(a2);
        assertThat(ids("projectID=" + PROJECT_B + "&regionID=" + DOCS_REGION)).isEmpty();
        assertThat(ids("organizationID=" + DEMO_ORG + "&projectID=" + PROJECT_B)).containsExactly(b1);
        // one value of a parameter is bound with "=", several with "= ANY": both select the same way
        assertThat(ids("projectID=" + PROJECT_A + "&regionID=" + SECOND_REGION + "&regionID=" + DOCS_REGION))
                .containsExactlyElementsOf(sorted(a1, a2));
    }

    @Test
    void everyTagMustBePresent() {
        assertThat(ids(query("tag", "team=ml") + "&projectID=" + PROJECT_A)).containsExactlyElementsOf(sorted(a1, a2));
        assertThat(ids(query("tag", "team=ml") + "&" + query("tag", "tier=gold"))).containsExactly(a1);
        assertThat(ids(query("tag", "tier=gold") + "&projectID=" + PROJECT_A + "&projectID=" + PROJECT_B))
                .containsExactlyElementsOf(sorted(a1, b1));
        assertThat(ids(query("tag", "team=m"))).isEmpty();
    }

    @Test
    void aTagFilterRepeatedPastThePreparedStatementThresholdStillMatches() {
        // the driver prepares a statement on the server from its fifth use on one connection, and PostgreSQL may then
        // plan it once for any value: the typed jsonb tag value must match the same rows on every call after that
        for (int call = 0; call < 12; call++) {
            String tier = call % 2 == 0 ? "tier=gold" : "team=infra";
            assertThat(ids(query("tag", tier) + "&projectID=" + PROJECT_A + "&projectID=" + PROJECT_B)).as("call " + call)
                    .containsExactlyElementsOf(call % 2 == 0 ? sorted(a1, b1) : List.of(b1));
        }
    }

    @Test
    void unknownValuesMatchNothingAndMalformedTagsAreRejected() {
        assertThat(ids("regionID=no-such-region")).isEmpty();
        assertThat(ids("organizationID=" + Fixtures.OTHER_ORG)).isEmpty();
        for (String tag : List.of("team", "team=ml=x", "=ml")) {
            RawHttp.Response response = api.get(demoToken(), "/api/v2/reservations?" + query("tag", tag));
            assertThat(response.status()).as(tag).isEqualTo(400);
            assertThat(response.json().get("error").asString()).isEqualTo("invalid_request");
        }
    }

    private static List<String> ids(String query) {
        RawHttp.Response response = api.get(demoToken(), "/api/v2/reservations?" + query);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        response.json().forEach(r -> {
            String project = r.get("metadata").get("projectId").asString();
            if (project.equals(PROJECT_A) || project.equals(PROJECT_B)) {
                ids.add(r.get("metadata").get("id").asString());
            }
        });
        return ids;
    }

    private static List<String> sorted(String... ids) {
        return java.util.Arrays.stream(ids).sorted().toList();
    }

    private static String id(tools.jackson.databind.JsonNode reservation) {
        return reservation.get("metadata").get("id").asString();
    }
}
