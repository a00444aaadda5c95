package io.ringfence.identity;

import static io.ringfence.testkit.Fixtures.DEMO_ORG;
import static io.ringfence.testkit.Fixtures.DEMO_PROJECT;
import static io.ringfence.testkit.Fixtures.OTHER_ORG;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.support.Reservations;
import io.ringfence.support.RingfenceTestBase;
import io.ringfence.testkit.Fixtures;
import io.ringfence.testkit.RawHttp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Roles x scopes x endpoints x operations, from one table. Demo people sign in with authorization code and
 * PKCE; their roles come from the access file: alice administrator of the demo organization, bob user in its
 * project f113be96, carol reader and dave auditor of the organization, erin administrator of another
 * organization, and the ringfence-operator client platform administrator.
 */
class AccessMatrixTest extends RingfenceTestBase {

    static final String REGION = Fixtures.SECOND_REGION;
    static final String OTHER_PROJECT = "matrix-other-project";
    String inProject;   // in bob's project
    String elsewhere;   // same organization, another project

    @BeforeAll
    void reservations() {
        inProject = Reservations.create(api, demoToken(), Reservations.body("matrix-p", DEMO_ORG, DEMO_PROJECT, REGION,
                1, List.of())).get("metadata").get("id").asString();
        elsewhere = Reservations.create(api, demoToken(), Reservations.body("matrix-q", DEMO_ORG, OTHER_PROJECT, REGION,
                1, List.of())).get("metadata").get("id").asString();
    }

    @AfterAll
    void cleanUp() {
        Reservations.deleteAndAwaitGone(api, demoToken(), inProject);
        Reservations.deleteAndAwaitGone(api, demoToken(), elsewhere);
    }

    record Cell(String who, String method, String path, String body, int expected) {
    }

    List<Cell> table() {
        String createP = Reservations.body("m", DEMO_ORG, DEMO_PROJECT, REGION, 1, List.of());
        String createQ = Reservations.body("m", DEMO_ORG, OTHER_PROJECT, REGION, 1, List.of());
        String r = "/api/v2/reservations/";
        String units = "/api/v2/organizations/" + DEMO_ORG + "/reservation-units";
        String topology = "/api/v2/organizations/" + DEMO_ORG + "/topology?regionID=" + REGION;
        List<Cell> cells = new ArrayList<>();
        //                       who        method  path                    body     alice bob  carol dave  erin operator
        row(cells, "GET", r + inProject, null, 200, 200, 200, 200, 404, 200);
        row(cells, "GET", r + elsewhere, null, 200, 404, 200, 200, 404, 200);
        row(cells, "POST", "/api/v2/reservations", createP, 202, 202, 403, 403, 403, 202);
        row(cells, "POST", "/api/v2/reservations", createQ, 202, 403, 403, 403, 403, 202);
        row(cells, "DELETE", r + elsewhere + "-absent", null, 404, 404, 404, 404, 404, 404);
        row(cells, "POST", r + inProject + "/units/release", "{\"spec\":{\"unitIds\":[\"x\"]}}", 428, 428, 403, 403, 404, 428);
        row(cells, "GET", units, null, 200, 200, 200, 200, 403, 200);
        row(cells, "GET", topology, null, 200, 200, 200, 200, 403, 200);
        row(cells, "GET", "/api/v2/reservation-units", null, 200, 200, 200, 200, 200, 200);
        row(cells, "GET", "/api/v2/operator/hosts?regionID=" + REGION, null, 403, 403, 403, 403, 403, 200);
        row(cells, "GET", "/api/v2/operator/audit", null, 403, 403, 403, 403, 403, 200);
        return cells;
    }

    static final List<String> WHO = List.of("alice", "bob", "carol", "dave", "erin", "operator");

    static void row(List<Cell> cells, String method, String path, String body, int... expected) {
        for (int i = 0; i < WHO.size(); i++) {
            cells.add(new Cell(WHO.get(i), method, path, body, expected[i]));
        }
    }

    @Test
    void everyCellAllowsOrDeniesAsTheRolesSay() {
        List<String> failures = new ArrayList<>();
        List<String> created = new ArrayList<>();
        for (Cell cell : table()) {
            String token = cell.who().equals("operator") ? operatorToken()
                    : personToken(cell.who());
            RawHttp.Response response = api.send(cell.method(), token, cell.path(),
                    cell.body() == null ? Map.of() : Map.of("Content-Type", "application/json"),
                    cell.body() == null ? null : cell.body().getBytes());
            if (response.status() != cell.expected()) {
                failures.add(cell + " -> " + response.status() + " " + response.text());
            }
            if (response.status() == 202 && cell.method().equals("POST")) {
                created.add(response.json().get("metadata").get("id").asString());
            }
        }
        for (String id : created) {
            Reservations.deleteAndAwaitGone(api, demoToken(), id);
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void listsHoldOnlyWhatEachCallerMayRead() {
        assertThat(listed("bob")).contains(inProject).doesNotContain(elsewhere);
        assertThat(listed("carol")).contains(inProject, elsewhere);
        assertThat(listed("erin")).doesNotContain(inProject, elsewhere);
        // a filter on a foreign organization is intersected with the ACL: empty, not an error
        RawHttp.Response foreign = api.get(personToken("erin"),
                "/api/v2/reservations?organizationID=" + DEMO_ORG);
        assertThat(foreign.status()).isEqualTo(200);
        assertThat(foreign.json().size()).isZero();
        RawHttp.Response own = api.get(personToken("erin"),
                "/api/v2/reservations?organizationID=" + OTHER_ORG);
        assertThat(own.status()).isEqualTo(200);
    }

    @Test
    void probingAnotherOrganizationLearnsNothing() {
        String erin = personToken("erin");
        RawHttp.Response existing = api.get(erin, "/api/v2/reservations/" + inProject);
        RawHttp.Response missing = api.get(erin, "/api/v2/reservations/b0000000-0000-4000-8000-000000000000");
        assertThat(existing.status()).isEqualTo(missing.status()).isEqualTo(404);
        assertThat(existing.json().get("error_description").asString())
                .isEqualTo(missing.json().get("error_description").asString());
        for (String path : List.of("/api/v2/reservations/" + inProject, "/api/v2/placements/" + inProject,
                "/api/v2/placements/" + inProject + "/servers")) {
            assertThat(api.get(erin, path).status()).as(path).isEqualTo(404);
        }
        assertThat(api.delete(erin, "/api/v2/reservations/" + inProject).status()).isEqualTo(404);
        assertThat(api.post(erin, "/api/v2/reservations/" + inProject + "/units/release",
                "{\"spec\":{\"unitIds\":[\"x\"]}}", Map.of("Content-Type", "application/json", "If-Match", "\"x\""))
                .status()).isEqualTo(404);
    }

    @Test
    void everyChangeIsAudited() {
        String bob = personToken("bob");
        RawHttp.Response refused = api.post(bob, "/api/v2/reservations",
                Reservations.body("audited", DEMO_ORG, OTHER_PROJECT, REGION, 1, List.of()));
        assertThat(refused.status()).isEqualTo(403);
        RawHttp.Response allowed = api.post(bob, "/api/v2/reservations",
                Reservations.body("audited", DEMO_ORG, DEMO_PROJECT, REGION, 1, List.of()));
        assertThat(allowed.status()).isEqualTo(202);
        String id = allowed.json().get("metadata").get("id").asString();
        RawHttp.Response anonymous = api.delete(null, "/api/v2/reservations/" + id);
        assertThat(anonymous.status()).isEqualTo(401);
        Reservations.deleteAndAwaitGone(api, demoToken(), id);

        RawHttp.Response trail = api.get(operatorToken(), "/api/v2/operator/audit?actor=bob&limit=50");
        assertThat(trail.status()).isEqualTo(200);
        String text = trail.text();
        assertThat(text).contains(refused.json().get("trace_id").asString()).contains("\"resultStatus\":403")
                .contains(id).contains("\"resultStatus\":202").contains(OTHER_PROJECT);
        RawHttp.Response anonymousTrail = api.get(operatorToken(), "/api/v2/operator/audit?actor=anonymous&limit=50");
        assertThat(anonymousTrail.text()).contains(anonymous.json().get("trace_id").asString()).contains("\"resultStatus\":401");
    }

    private List<String> listed(String who) {
        List<String> ids = new ArrayList<>();
        api.get(personToken(who), "/api/v2/reservations?regionID=" + REGION).json()
                .forEach(r -> ids.add(r.get("metadata").get("id").asString()));
        return ids;
    }
}
