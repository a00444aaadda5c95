package io.ringfence.web;

import static io.ringfence.testkit.Fixtures.DEMO_ORG;
import static io.ringfence.testkit.Fixtures.DEMO_PROJECT;
import static io.ringfence.testkit.Fixtures.DOCS_REGION;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.support.RingfenceTestBase;
import io.ringfence.testkit.RawHttp;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Every kind of bad input gets the right status in the contract's error body, and writes nothing. */
class BadInputTest extends RingfenceTestBase {

    @Autowired
    JdbcClient jdbc;
    long reservationsBefore;

    @BeforeEach
    void countRows() {
        reservationsBefore = rows();
    }

    @AfterEach
    void nothingWasWritten() {
        assertThat(rows()).as("no reservation row written by a rejected request").isEqualTo(reservationsBefore);
    }

    static String create(String metadata, String spec) {
        return "{\"metadata\":" + metadata + ",\"spec\":" + spec + "}";
    }

    static String spec(String count) {
        return spec(DOCS_REGION, "GB300", "NVL72", count);
    }

    static String spec(String region, String accelerator, String unit, String count) {
        return "{\"organizationId\":\"" + DEMO_ORG + "\",\"projectId\":\"" + DEMO_PROJECT + "\",\"regionId\":\""
                + region + "\",\"accelerator\":\"" + accelerator + "\",\"unit\":\"" + unit + "\",\"count\":" + count + "}";
    }

    static Stream<Arguments> badCreateBodies() {
        String name = "{\"name\":\"ok\"}";
        return Stream.of(
                Arguments.of("malformed JSON", "{\"metadata\":"),
                Arguments.of("trailing garbage", create(name, spec("1")) + "}x"),
                Arguments.of("empty body", ""),
                Arguments.of("array body", "[]"),
                Arguments.of("missing spec", "{\"metadata\":" + name + "}"),
                Arguments.of("missing metadata", "{\"spec\":" + spec("1") + "}"),
                Arguments.of("missing name", create("{}", spec("1"))),
                Arguments.of("missing count", create(name, spec(DOCS_REGION, "GB300", "NVL72", "null"))),
                Arguments.of("count zero", create(name, spec("0"))),
                Arguments.of("count negative", create(name, spec("-3"))),
                Arguments.of("count above int32", create(name, spec("2147483648"))),
                Arguments.of("count absurd", create(name, spec("1e30"))),
                Arguments.of("count fractional", create(name, spec("1.5"))),
                Arguments.of("count as string", create(name, spec("\"2\""))),
                Arguments.of("count as boolean", create(name, spec("true"))),
                Arguments.of("name with space", create("{\"name\":\"a b\"}", spec("1"))),
                Arguments.of("name starting with dash", create("{\"name\":\"-ab\"}", spec("1"))),
                Arguments.of("name too long", create("{\"name\":\"" + "a".repeat(64) + "\"}", spec("1"))),
                Arguments.of("name wrong type", create("{\"name\":5}", spec("1"))),
                Arguments.of("tags wrong type", create("{\"name\":\"ok\",\"tags\":\"x\"}", spec("1"))),
                Arguments.of("tag without value", create("{\"name\":\"ok\",\"tags\":[{\"name\":\"a\"}]}", spec("1"))),
                Arguments.of("reserved tag", create("{\"name\":\"ok\",\"tags\":[{\"name\":\"x.unikorn-cloud.org:y\",\"value\":\"v\"}]}", spec("1"))),
                Arguments.of("unknown region", create(name, spec("no-such-region", "GB300", "NVL72", "1"))),
                Arguments.of("unknown accelerator", create(name, spec(DOCS_REGION, "H100", "NVL72", "1"))),
                Arguments.of("unknown unit", create(name, spec(DOCS_REGION, "GB300", "NVL36", "1"))),
                Arguments.of("organization ID too long", create(name, spec("1").replace(DEMO_ORG, "o".repeat(64)))),
                Arguments.of("empty project ID", create(name, spec("1").replace(DEMO_PROJECT, ""))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCreateBodies")
    void badCreateBodyIs400(String what, String body) {
        RawHttp.Response response = api.post(demoToken(), "/api/v2/reservations", body);
        assertError(response, 400, "invalid_request");
        assertThat(response.json().get("error_description").asString()).doesNotContain("tools.jackson", "Exception",
                "io.ringfence");
    }

    @Test
    void pathIdOver63CharactersIs400() {
        assertError(api.get(demoToken(), "/api/v2/reservations/" + "a".repeat(64)), 400, "invalid_request");
        assertError(api.delete(demoToken(), "/api/v2/reservations/" + "a".repeat(64)), 400, "invalid_request");
        assertError(api.get(demoToken(), "/api/v2/organizations/" + "o".repeat(64) + "/reservation-units"), 400,
                "invalid_request");
        assertError(api.get(demoToken(), "/api/v2/reservations/" + "a".repeat(63)), 404, "not_found");
    }

    @Test
    void overlongIdempotencyKeyIs400() {
        RawHttp.Response response = api.post(demoToken(), "/api/v2/reservations",
                create("{\"name\":\"ok\"}", spec("1")),
                Map.of("Content-Type", "application/json", "Idempotency-Key", "k".repeat(256)));
        assertError(response, 400, "invalid_request");
    }

    @Test
    void bodyOverOneMebibyteIs413() throws Exception {
        String padding = "x".repeat(1024 * 1024 + 10);
        String body = create("{\"name\":\"ok\",\"description\":\"" + padding + "\"}", spec("1"));
        assertError(api.post(demoToken(), "/api/v2/reservations", body), 413, "request_entity_too_large");

        // the same without Content-Length: a chunked body is cut off once it passes the limit
        HttpRequest chunked = HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v2/reservations"))
                .header("Authorization", "Bearer " + demoToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(chunked, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("\"request_entity_too_large\"");
    }

    @Test
    void wrongMediaTypeIs415() {
        String body = create("{\"name\":\"ok\"}", spec("1"));
        assertError(api.send("POST", demoToken(), "/api/v2/reservations", Map.of("Content-Type", "text/plain"),
                body.getBytes(StandardCharsets.UTF_8)), 415, "unsupported_media_type");
        assertError(api.send("POST", demoToken(), "/api/v2/reservations", Map.of(),
                body.getBytes(StandardCharsets.UTF_8)), 415, "unsupported_media_type");
    }

    @Test
    void wrongMethodIs405AndUnknownRouteIs404() {
        assertError(api.send("PUT", demoToken(), "/api/v2/reservations", Map.of("Content-Type", "application/json"),
                "{}".getBytes(StandardCharsets.UTF_8)), 405, "method_not_allowed");
        assertError(api.send("PATCH", demoToken(), "/api/v2/reservations/abc", Map.of("Content-Type", "application/json"),
                "{}".getBytes(StandardCharsets.UTF_8)), 405, "method_not_allowed");
        assertError(api.get(demoToken(), "/api/v2/nothing-here"), 404, "not_found");
        assertError(api.get(null, "/no/such/page"), 404, "not_found");
    }

    static void assertError(RawHttp.Response response, int status, String error) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.header("Cache-Control")).contains("no-cache");
        assertThat(response.json().get("error").asString()).isEqualTo(error);
        assertThat(response.json().get("error_description").asString()).isNotBlank();
        assertThat(response.json().get("trace_id").asString()).matches("[0-9a-f]{32}");
    }

    private long rows() {
        return jdbc.sql("SELECT count(*) FROM reservation WHERE organization_id = ?").param(DEMO_ORG)
                .query(Long.class).single();
    }
}
