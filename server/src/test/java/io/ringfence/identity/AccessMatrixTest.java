package io.ringfence.identity;

import static io.ringfence.testkit.Fixtures.DEMO_ORG;
import static io.ringfence.testkit.Fixtures.DEMO_PROJECT;
import static io.ringfence.testkit.Fixtures.OTHER_ORG;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.support.Reservations;
import io.ringfence.support.RingfenceTestBase;
import io.ringfence.testkit.Await;
import io.ringfence.testkit.Fixtures;
import io.ringfence.testkit.RawHttp;
import io.ringfence.testkit.Tokens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every operation of the published API against every kind of caller, from one table: one row per operation,
 * one expected status per caller. Demo people sign in with authorization code and PKCE; their roles come from
 * the demo access file: alice administrator of the demo organization, bob user in its project f113be96, carol
 * reader and dave auditor of the organization, erin administrator of another organization. The
 * ringfence-operator client is platform administrator, the ringfence-metrics client holds no grant on the API,
 * and anonymous sends no token.
 *
 * <p>The contract's rules decide each cell: no token is 401; an object the caller cannot read is 404 with the
 * body of an ID that does not exist; an object the caller can read but not change is 403; an
 * organization-scoped path of an organization where the caller holds no grant is 403; the operator API is 403
 * for everyone but platform administrators. Each row is there to tell callers apart, so a row whose cells
 * all agree would prove nothing and is refused.
 */
class AccessMatrixTest extends RingfenceTestBase {

    static final String REGION = Fixtures.SECOND_REGION;
    /** The demo project's network in {@link #REGION}. */
    static final String NETWORK = "8d2e6f41-7a93-4c5b-b1e0-6f4a2d9c3b87";
    static final String OTHER_PROJECT = "matrix-other-project";
    /** The end every permitted caller extends the shared reservation to: the same end each time, so each gets 200. */
    static final java.time.Instant FAR_END = java.time.Instant.now().plus(java.time.Duration.ofDays(90))
            .truncatedTo(java.time.temporal.ChronoUnit.HOURS);
    static final String PACK = "{\"policy\":\"pack\"}";

    /** The callers, in the order of the table's columns. */
    enum Who {
        ANONYMOUS, METRICS, ALICE, BOB, CAROL, DAVE, ERIN, OPERATOR;

        String token() {
            return switch (this) {
                case ANONYMOUS -> null;
                case METRICS -> Tokens.of(api.baseUrl(), Fixtures.METRICS_CLIENT);
                case OPERATOR -> operatorToken();
                default -> personToken(name().toLowerCase());
            };
        }
    }

    /** What a row acts on: a path, or a fresh object for each caller that may destroy it. */
    interface Target {
        String path(Who who);

        /** Told each answer, so that an object someone deleted is not handed to the next caller. */
        default void answered(int status) {
        }
    }

    record Row(String operation, String method, Target target, Function<String, String> body,
               Map<String, String> headers, List<Integer> expected) {

        Row body(String json) {
            return new Row(operation, method, target, path -> json, headers, expected);
        }

        Row header(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Row(operation, method, target, body, more, expected);
        }

        int expected(Who who) {
            return expected.get(who.ordinal());
        }
    }

    String inProject;     // bob's project: provisioned, with placement and server below
    String elsewhere;     // same organization, another project
    String placement;     // on inProject
    String server;        // of placement
    String infrastructureRef;
    String domain;
    /** Every object made here, with an ID of the same shape that names nothing: a 404 must not tell them apart. */
    final Map<String, String> absentTwins = new LinkedHashMap<>();
    final List<String> reservationsToDelete = new ArrayList<>();

    @BeforeAll
    void objects() {
        // the identity service places the second project in the demo organization (see ProjectOwnershipTest)
        identity.placeProjects(DEMO_ORG, OTHER_PROJECT);
        inProject = reservation(DEMO_PROJECT);
        elsewhere = reservation(OTHER_PROJECT);
        Reservations.awaitStatus(api, demoToken(), inProject, "provisioned");
        placement = placement();
        Await.until(() -> api.get(demoToken(), "/api/v2/placements/" + placement),
                r -> r.status() == 200
                        && r.json().get("metadata").get("provisioningStatus").asString().equals("provisioned"),
                "placement " + placement + " to be provisioned");
        JsonNode first = api.get(demoToken(), "/api/v2/placements/" + placement + "/servers").json().get(0);
        server = first.get("metadata").get("id").asString();
        absentTwins.put(server, "psrv-0000000000000000");
        infrastructureRef = first.get("status").get("infrastructureRef").asString();
        domain = first.get("status").get("topologyPath").get(0).asString();
    }

    @AfterAll
    void cleanUp() {
        for (String id : reservationsToDelete) {
            Reservations.deleteIfPresent(api, demoToken(), id);
        }
    }

    List<Row> table() {
        String reservations = "/api/v2/reservations";
        String placements = "/api/v2/placements";
        String organization = "/api/v2/organizations/" + DEMO_ORG;
        String servers = placements + "/" + placement + "/servers";
        String theServer = servers + "/" + server;
        String operator = "/api/v2/operator";
        return List.of(
                //                                                                                anon metrics alice bob carol dave erin operator
                row("listReservationUnits", "GET", "/api/v2/reservation-units?regionID=" + REGION, 401, 200, 200, 200, 200, 200, 200, 200),
                row("listOrganizationReservationUnits", "GET", organization + "/reservation-units", 401, 403, 200, 200, 200, 200, 403, 200),
                row("getOrganizationTopology", "GET", organization + "/topology?regionID=" + REGION, 401, 403, 200, 200, 200, 200, 403, 200),
                row("listReservations", "GET", reservations + "?regionID=" + REGION, 401, 200, 200, 200, 200, 200, 200, 200),
                row("createReservation in bob's project", "POST", reservations, 401, 403, 202, 202, 403, 403, 403, 202)
                        .body(Reservations.body("m", DEMO_ORG, DEMO_PROJECT, REGION, 1, List.of())),
                row("createReservation in another project", "POST", reservations, 401, 403, 202, 403, 403, 403, 403, 202)
                        .body(Reservations.body("m", DEMO_ORG, OTHER_PROJECT, REGION, 1, List.of())),
                row("getReservation in bob's project", "GET", reservations + "/" + inProject, 401, 404, 200, 200, 200, 200, 404, 200),
                row("getReservation in another project", "GET", reservations + "/" + elsewhere, 401, 404, 200, 404, 200, 200, 404, 200),
                row("deleteReservation in bob's project", "DELETE", fresh(() -> reservations + "/" + reservation(DEMO_PROJECT)),
                        401, 404, 202, 202, 403, 403, 404, 202),
                row("deleteReservation in another project", "DELETE", fresh(() -> reservations + "/" + reservation(OTHER_PROJECT)),
                        401, 404, 202, 404, 403, 403, 404, 202),
                // without If-Match: whoever may change the claim learns that it must be conditional (428), and
                // no unit is given up on the way
                row("extendReservation", "POST", reservations + "/" + inProject + "/extend", 401, 404, 200, 200, 403, 403, 404, 200)
                        .body("{\"endTime\":\"" + FAR_END + "\"}"),
                row("listReservationOfferings", "GET", "/api/v2/reservation-offerings?regionID=" + REGION
                        + "&accelerator=GB300&unit=NVL72&count=1&duration=PT1H", 401, 200, 200, 200, 200, 200, 200, 200),
                row("getReservationCalendar", "GET", "/api/v2/reservation-calendar?regionID=" + REGION
                        + "&accelerator=GB300&unit=NVL72", 401, 200, 200, 200, 200, 200, 200, 200),
                row("releaseReservationUnits", "POST", reservations + "/" + inProject + "/units/release", 401, 404, 428, 428, 403, 403, 404, 428)
                        .body("{\"spec\":{\"unitIds\":[\"x\"]}}"),
                row("listPlacements", "GET", placements + "?regionID=" + REGION, 401, 200, 200, 200, 200, 200, 200, 200),
                row("createPlacement", "POST", placements, 401, 404, 202, 202, 403, 403, 404, 202)
                        .body(placementBody(inProject)),
                row("getPlacement", "GET", placements + "/" + placement, 401, 404, 200, 200, 200, 200, 404, 200),
                // the spec as read: allowed, and it changes nothing, so the servers below stay idle
                row("updatePlacement", "PUT", placements + "/" + placement, 401, 404, 200, 200, 403, 403, 404, 200)
                        .body(unchangedPlacement()),
                row("deletePlacement", "DELETE", fresh(() -> placements + "/" + placement()), 401, 404, 202, 202, 403, 403, 404, 202),
                row("listPlacementServers", "GET", servers, 401, 404, 200, 200, 200, 200, 404, 200),
                row("getPlacementServer", "GET", theServer, 401, 404, 200, 200, 200, 200, 404, 200),
                row("rebootPlacementServer", "POST", theServer + "/reboot", 401, 404, 202, 202, 403, 403, 404, 202),
                row("rebootPlacementServer hard", "POST", theServer + "/reboot?hard=true", 401, 404, 202, 202, 403, 403, 404, 202),
                row("stopPlacementServer", "POST", theServer + "/stop", 401, 404, 202, 202, 403, 403, 404, 202),
                row("reconcilePlacementServer", "POST", theServer + "/reconcile", 401, 404, 202, 202, 403, 403, 404, 202),
                row("getVersion", "GET", "/api/version", 401, 200, 200, 200, 200, 200, 200, 200),
                row("listOperatorHosts", "GET", operator + "/hosts?regionID=" + REGION, 401, 403, 403, 403, 403, 403, 403, 200),
                // the operator's changes are to a host and a domain of this class's own reservation, and leave
                // them as they were: healthy, undrained
                row("setOperatorHostHealth", "PUT", operator + "/hosts/" + infrastructureRef + "/health", 401, 403, 403, 403, 403, 403, 403, 200)
                        .body("{\"healthy\":true}"),
                row("setOperatorDomainHealth", "PUT", operator + "/domains/" + domain + "/health", 401, 403, 403, 403, 403, 403, 403, 200)
                        .body("{\"healthy\":true}"),
                row("setOperatorDomainDrain", "PUT", operator + "/domains/" + domain + "/drain", 401, 403, 403, 403, 403, 403, 403, 200)
                        .body("{\"draining\":false}"),
                row("injectOperatorFault", "POST", operator + "/faults", 401, 403, 403, 403, 403, 403, 403, 202)
                        .body("{\"kind\":\"hostRecovery\",\"infrastructureRef\":\"" + infrastructureRef + "\"}"),
                row("listOperatorAuditEvents", "GET", operator + "/audit?limit=1", 401, 403, 403, 403, 403, 403, 403, 200));
    }

    /** The operations of the published document, each of which the table must have a row for. */
    static final Set<String> CONTRACT_OPERATIONS = Set.of("listReservationUnits", "listOrganizationReservationUnits",
            "getOrganizationTopology", "listReservations", "createReservation", "getReservation", "deleteReservation",
            "releaseReservationUnits", "listPlacements", "createPlacement", "getPlacement", "updatePlacement",
            "deletePlacement", "listPlacementServers", "getPlacementServer", "rebootPlacementServer",
            "stopPlacementServer", "reconcilePlacementServer", "getVersion", "listOperatorHosts",
            "setOperatorHostHealth", "setOperatorDomainHealth", "setOperatorDomainDrain", "injectOperatorFault",
            "listOperatorAuditEvents", "extendReservation", "listReservationOfferings",
            "getReservationCalendar");

    @Test
    void theTableCoversEveryOperationOfTheContractAndEveryRowTellsCallersApart() {
        String document = api.get(null, "/openapi.yaml").text();
        Set<String> published = new HashSet<>();
        Matcher ids = Pattern.compile("(?m)^\\s+operationId:\\s*(\\S+)\\s*$").matcher(document);
        while (ids.find()) {
            published.add(ids.group(1));
        }
        assertThat(published).as("operations of /openapi.yaml").containsExactlyInAnyOrderElementsOf(CONTRACT_OPERATIONS);
        List<Row> rows = table();
        assertThat(rows.stream().map(r -> r.operation().split(" ")[0]).toList())
                .containsAll(CONTRACT_OPERATIONS);
        for (Row row : rows) {
            assertThat(row.expected()).as(row.operation()).hasSize(Who.values().length);
            assertThat(new HashSet<>(row.expected())).as("%s must expect different answers for different callers",
                    row.operation()).hasSizeGreaterThan(1);
        }
    }

    @Test
    void everyCallerGetsWhatTheRulesSayForEveryOperation() {
        List<String> failures = new ArrayList<>();
        int cells = 0;
        for (Row row : table()) {
            for (Who who : Who.values()) {
                cells++;
                String path = row.target().path(who);
                String body = row.body() == null ? null : row.body().apply(path);
                RawHttp.Response response = send(who, row, path, body);
                row.target().answered(response.status());
                String cell = row.operation() + " as " + who + " (" + row.method() + " " + path + ")";
                int expected = row.expected(who);
                if (response.status() != expected) {
                    failures.add(cell + ": expected " + expected + ", got " + response);
                } else {
                    checkBody(cell, who, row, path, body, response, failures);
                }
                if (response.status() == 202 && row.method().equals("POST") && !row.operation().startsWith("create")) {
                    awaitServerSettled(); // a power operation in flight would make the next caller's answer 409
                }
                discardCreated(row, response);
            }
        }
        assertThat(failures).as("%d cells", cells).isEmpty();
    }

    @Test
    void listsHoldOnlyWhatEachCallerMayRead() {
        assertThat(listed("bob", "reservations")).contains(inProject).doesNotContain(elsewhere);
        assertThat(listed("carol", "reservations")).contains(inProject, elsewhere);
        assertThat(listed("erin", "reservations")).doesNotContain(inProject, elsewhere);
        assertThat(listed(Who.METRICS, "reservations")).isEmpty();
        assertThat(listed(Who.OPERATOR, "reservations")).contains(inProject, elsewhere);
        assertThat(listed("bob", "placements")).contains(placement);
        assertThat(listed("dave", "placements")).contains(placement);
        assertThat(listed("erin", "placements")).doesNotContain(placement);
        assertThat(listed(Who.METRICS, "placements")).isEmpty();
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

    // ---------------------------------------------------------------- the table's machinery

    static Row row(String operation, String method, String path, int... expected) {
        return row(operation, method, who -> path, expected);
    }

    static Row row(String operation, String method, Target target, int... expected) {
        return new Row(operation, method, target, null, Map.of(),
                Arrays.stream(expected).boxed().toList());
    }

    /** A new object for each caller until someone deletes it; the callers refused share one. */
    static Target fresh(Supplier<String> make) {
        return new Target() {
            String current;

            @Override
            public String path(Who who) {
                if (current == null) {
                    current = make.get();
                }
                return current;
            }

            @Override
            public void answered(int status) {
                if (status == 202) {
                    current = null;
                }
            }
        };
    }

    private RawHttp.Response send(Who who, Row row, String path, String body) {
        Map<String, String> headers = new LinkedHashMap<>(row.headers());
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        return api.send(row.method(), who.token(), path, headers, body == null ? null : body.getBytes());
    }

    /** The error code of each refusal, and for a 404 the very answer an ID that names nothing gets. */
    private void checkBody(String cell, Who who, Row row, String path, String body, RawHttp.Response response,
                           List<String> failures) {
        String code = switch (response.status()) {
            case 401 -> "access_denied";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 428 -> "invalid_request";
            default -> null;
        };
        if (code == null) {
            return;
        }
        String error = response.json().path("error").asString("");
        if (!error.equals(code)) {
            failures.add(cell + ": expected error " + code + ", got " + response);
        }
        if (response.status() == 401 && response.header("WWW-Authenticate") == null) {
            failures.add(cell + ": 401 without WWW-Authenticate");
        }
        if (response.status() == 404) {
            String twinPath = twin(path);
            String twinBody = body == null ? null : twin(body);
            if (twinPath.equals(path) && (body == null || twinBody.equals(body))) {
                failures.add(cell + ": 404 on a request that names no object of this test");
                return;
            }
            RawHttp.Response absent = send(who, row, twinPath, twinBody);
            if (absent.status() != 404 || !description(absent).equals(description(response))) {
                failures.add(cell + ": answered " + response + " but for an absent ID " + absent);
            }
        }
    }

    private static String description(RawHttp.Response response) {
        JsonNode json = response.json();
        return json.path("error").asString("") + ": " + json.path("error_description").asString("");
    }

    private String twin(String text) {
        String result = text;
        for (Map.Entry<String, String> twin : absentTwins.entrySet()) {
            result = result.replace(twin.getKey(), twin.getValue());
        }
        return result;
    }

    private void discardCreated(Row row, RawHttp.Response response) {
        if (response.status() != 202 || !row.method().equals("POST") || !row.operation().startsWith("create")) {
            return;
        }
        String id = response.json().get("metadata").get("id").asString();
        // gone at once, so that the next callers' creates find capacity; waited for at the end
        String path = (row.operation().startsWith("createReservation") ? "/api/v2/reservations/" : "/api/v2/placements/") + id;
        assertThat(api.delete(demoToken(), path).status()).as(path).isEqualTo(202);
        if (row.operation().startsWith("createReservation")) {
            reservationsToDelete.add(id);
        }
    }

    private void awaitServerSettled() {
        Await.until(() -> api.get(operatorToken(), "/api/v2/placements/" + placement + "/servers/" + server).json(),
                s -> s.get("status").get("observedGeneration").asLong() == s.get("status").get("operationGeneration").asLong(),
                "server " + server + " to finish its operation");
    }

    private String reservation(String project) {
        String id = Reservations.create(api, demoToken(), Reservations.body("matrix", DEMO_ORG, project, REGION, 1,
                List.of())).get("metadata").get("id").asString();
        absentTwins.put(id, "b0000000-0000-4000-8000-" + String.format("%012d", absentTwins.size()));
        reservationsToDelete.add(id);
        return id;
    }

    private String placement() {
        RawHttp.Response created = api.post(demoToken(), "/api/v2/placements", placementBody(inProject));
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        String id = created.json().get("metadata").get("id").asString();
        absentTwins.put(id, "c0000000-0000-4000-8000-" + String.format("%012d", absentTwins.size()));
        return id;
    }

    private static String placementBody(String reservationId) {
        return """
                {"metadata":{"name":"matrix","description":"access matrix"},
                 "spec":{"reservationId":"%s","networkId":"%s",
                  "serverSpec":{"imageId":"ubuntu-24.04","sshCertificateAuthorityId":"00de8f3c-77d6-424a-93c3-baf9153c7f21"},
                  "count":1,"constraints":%s}}""".formatted(reservationId, NETWORK, PACK);
    }

    private String unchangedPlacement() {
        JsonNode read = api.get(demoToken(), "/api/v2/placements/" + placement).json();
        return "{\"metadata\":{\"name\":\"matrix\",\"description\":\"access matrix\"},\"spec\":" + read.get("spec") + "}";
    }

    private List<String> listed(String who, String kind) {
        return listed(Who.valueOf(who.toUpperCase()), kind);
    }

    private List<String> listed(Who who, String kind) {
        List<String> ids = new ArrayList<>();
        RawHttp.Response response = api.get(who.token(), "/api/v2/" + kind + "?regionID=" + REGION);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        response.json().forEach(r -> ids.add(r.get("metadata").get("id").asString()));
        return ids;
    }
}
