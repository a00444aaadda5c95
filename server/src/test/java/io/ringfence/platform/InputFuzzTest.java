package io.ringfence.platform;

import static io.ringfence.testkit.Fixtures.DEMO_ORG;
import static io.ringfence.testkit.Fixtures.DEMO_PROJECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import io.ringfence.support.Reservations;
import io.ringfence.support.RingfenceTestBase;
import io.ringfence.testkit.Await;
import io.ringfence.testkit.RawHttp;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Valid create bodies for reservations and placements, mutated at random (types, nulls, control characters,
 * sizes, duplicated keys, deep nesting, odd IDs), sent over real HTTP: never a server error, always the
 * contract's error body when refused, and never a row written for a refused request.
 */
class InputFuzzTest extends RingfenceTestBase {

    /** A region and network of the test fleet used by this test only: one pod of 6 units. */
    private static final String REGION = "test-fuzz";
    private static final String NETWORK = "5b0e7d2c-94a1-4f3e-8c6d-1a2b3c4d5e6f";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MUTATIONS = 14;
    private static final String[] ODD_TEXT = {"", " ", "\u0000", "a\u0000b", "\u001b[31m", "x\u0085y", "\u007f",
            "\uD83D\uDE00", "../../etc/passwd", "<script>alert(1)</script>", "A-UPPER", "%00", "\\", "\"",
            "\u202e", "a".repeat(64), "1e309", "-1"};

    @Autowired
    JdbcClient jdbc;

    private final List<String> createdReservations = new ArrayList<>();
    private final List<String> createdPlacements = new ArrayList<>();
    private String reservation;
    private String token;

    @BeforeAll
    void reserve() {
        token = demoToken();
        reservation = Reservations.create(api, token, Reservations.body("fuzz-base", DEMO_ORG, DEMO_PROJECT,
                REGION, 2, List.of())).get("metadata").get("id").asString();
        Reservations.awaitStatus(api, token, reservation, "provisioned"); // placements need a provisioned reservation
    }

    @AfterAll
    void release() {
        for (String id : createdPlacements) {
            api.delete(token, "/api/v2/placements/" + id);
            Await.until(() -> api.get(token, "/api/v2/placements/" + id).status(), s -> s == 404, "placement gone");
        }
        createdReservations.add(reservation);
        for (String id : createdReservations) {
            Reservations.deleteIfPresent(api, token, id);
        }
    }

    @Test
    void mutatedCreateBodiesNeverFailTheServerOrWriteWhenRefused() {
        // the unmutated bodies are valid: each is accepted
        exchange(false, reservationBody().toString());
        exchange(true, placementBody().toString());
        assertThat(createdReservations).hasSize(1);
        assertThat(createdPlacements).hasSize(1);
        qt().withExamples(300).withShrinkCycles(20)
                .forAll(integers().between(0, 1), integers().between(0, MUTATIONS - 1), longs().all())
                .checkAssert((kind, mutation, seed) -> {
                    boolean placement = kind == 1;
                    String body = mutate(placement ? placementBody() : reservationBody(), mutation, new Random(seed));
                    exchange(placement, body);
                });
    }

    private void exchange(boolean placement, String body) {
        String path = placement ? "/api/v2/placements" : "/api/v2/reservations";
        // rows are counted by creation time: the reconciler removes rows of deleted resources at any moment, so
        // a plain count before and after could move for reasons of its own
        Instant sent = Instant.now().truncatedTo(ChronoUnit.MICROS);
        RawHttp.Response response = api.post(token, path, body);
        String what = path + " " + abbreviate(body) + " -> " + abbreviate(response.toString());
        // 507 is the contract's answer to a valid request while the region's units are all taken (those this
        // test had accepted are still being released); any other 5xx is a failure
        if (response.status() != 507) {
            assertThat(response.status()).as(what).isLessThan(500);
        }
        if (response.status() < 300) {
            // accepted: give it back at once, so the small fuzz region keeps room for the valid bodies to come
            String id = response.json().get("metadata").get("id").asString();
            (placement ? createdPlacements : createdReservations).add(id);
            api.delete(token, path + "/" + id);
            return;
        }
        assertThat(response.header("Content-Type")).as(what).startsWith("application/json");
        assertThat(response.header("Cache-Control")).as(what).contains("no-cache");
        JsonNode error = response.json();
        assertThat(error.get("error").asString()).as(what).isNotBlank();
        assertThat(error.get("error_description").asString()).as(what).isNotBlank()
                .doesNotContain("tools.jackson", "Exception", "io.ringfence");
        assertThat(error.get("trace_id").asString()).as(what).matches("[0-9a-f]{32}");
        assertThat(rowsSince("reservation", sent)).as("no reservation written: " + what).isZero();
        assertThat(rowsSince("placement", sent)).as("no placement written: " + what).isZero();
    }

    private ObjectNode reservationBody() {
        return (ObjectNode) RawHttp.json().readTree(Reservations.body("fuzz", DEMO_ORG, DEMO_PROJECT, REGION, 1,
                List.<String[]>of(new String[] {"workload", "fuzz"})));
    }

    private ObjectNode placementBody() {
        return (ObjectNode) RawHttp.json().readTree("""
                {"metadata":{"name":"fuzz","description":"a placement","tags":[{"name":"workload","value":"fuzz"}]},
                 "spec":{"reservationId":"%s","networkId":"%s",
                  "serverSpec":{"imageId":"ubuntu-24.04","sshCertificateAuthorityId":"00de8f3c-77d6-424a-93c3-baf9153c7f21","networking":{"securityGroups":["7ddfdbf0-bdbf-4630-9220-f1e6876f2dd0"]}},
                  "count":1,"constraints":{"policy":"pack","whenUnsatisfiable":"fail"}}}"""
                .formatted(reservation, NETWORK));
    }

    /** The body after one mutation, chosen by {@code mutation} and placed by {@code random}. */
    static String mutate(ObjectNode body, int mutation, Random random) {
        List<Slot> slots = new ArrayList<>();
        collect(body, slots);
        Slot slot = slots.get(random.nextInt(slots.size()));
        String oddText = ODD_TEXT[random.nextInt(ODD_TEXT.length)];
        switch (mutation) {
            case 0 -> slot.set(NODES.nullNode());
            case 1 -> slot.set(NODES.numberNode(random.nextInt(7) == 0 ? Long.MAX_VALUE : random.nextInt(100) - 50));
            case 2 -> slot.set(NODES.booleanNode(random.nextBoolean()));
            case 3 -> slot.set(NODES.stringNode(oddText));
            case 4 -> slot.set(NODES.arrayNode().add(NODES.nullNode()));
            case 5 -> slot.set(NODES.objectNode().put("unexpected", oddText));
            case 6 -> slot.remove();
            case 7 -> slot.set(NODES.stringNode(slot.text() + controlCharacter(random) + slot.text()));
            case 8 -> slot.set(NODES.stringNode("s".repeat(new int[] {64, 256, 1025, 70_000, 900_000,
                    1_100_000}[random.nextInt(6)])));
            case 9 -> {
                ArrayNode tags = NODES.arrayNode();
                int count = new int[] {64, 65, 5000}[random.nextInt(3)];
                for (int i = 0; i < count; i++) {
                    tags.add(NODES.objectNode().put("name", "t" + i).put("value", "v"));
                }
                ((ObjectNode) body.get("metadata")).set("tags", random.nextBoolean() ? tags
                        : NODES.arrayNode().add(NODES.objectNode().put("name", oddText).put("value", oddText)));
            }
            case 10 -> ((ObjectNode) body.get("spec")).put(random.nextBoolean() ? "organizationId" : "projectId",
                    oddText);
            case 11 -> {
                // the same key twice in one object
                String text = body.toString();
                int brace = text.indexOf('{', 1 + random.nextInt(Math.max(1, text.length() / 2)));
                int at = brace < 0 ? 0 : brace;
                return text.substring(0, at + 1) + "\"name\":\"first\",\"name\":\"second\","
                        + text.substring(at + 1);
            }
            case 12 -> {
                // nesting far deeper than any body needs, where a value is expected
                int depth = new int[] {40, 600, 5000}[random.nextInt(3)];
                String nested = "[".repeat(depth) + "]".repeat(depth);
                String marker = "\"fuzz-deep-marker\"";
                slot.set(NODES.stringNode("fuzz-deep-marker"));
                return body.toString().replace(marker, nested);
            }
            default -> {
                // text that is not quite JSON: a raw control character inside a string, or a cut-off body
                String text = body.toString();
                int cut = random.nextInt(text.length());
                return random.nextBoolean() ? text.substring(0, cut)
                        : text.replaceFirst("\"fuzz\"", "\"fu" + controlCharacter(random) + "zz\"");
            }
        }
        return body.toString();
    }

    private static char controlCharacter(Random random) {
        char[] controls = {'\u0000', '\u0001', '\u0008', '\n', '\r', '\t', '\u001b', '\u007f', '\u0085', '\u009f'};
        return controls[random.nextInt(controls.length)];
    }

    /** Every value in the tree, as a place a mutation can change. */
    private static void collect(JsonNode node, List<Slot> slots) {
        if (node instanceof ObjectNode object) {
            for (String name : new ArrayList<>(object.propertyNames())) {
                slots.add(new Slot(object, name, -1));
                collect(object.get(name), slots);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                slots.add(new Slot(array, null, i));
                collect(array.get(i), slots);
            }
        }
    }

    private record Slot(JsonNode parent, String name, int index) {
        void set(JsonNode value) {
            if (parent instanceof ObjectNode object) {
                object.set(name, value);
            } else {
                ((ArrayNode) parent).set(index, value);
            }
        }

        void remove() {
            if (parent instanceof ObjectNode object) {
                object.remove(name);
            } else {
                ((ArrayNode) parent).remove(index);
            }
        }

        String text() {
            JsonNode value = parent instanceof ObjectNode object ? object.get(name) : parent.get(index);
            return value != null && value.isString() ? value.asString() : "x";
        }
    }

    private long rowsSince(String table, Instant since) {
        return jdbc.sql("SELECT count(*) FROM " + table + " WHERE creation_time >= ?")
                .param(Timestamp.from(since)).query(Long.class).single();
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "... (" + text.length() + " characters)";
    }
}
