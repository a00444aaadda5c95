package io.ringfence.platform;

import static io.ringfence.testkit.Fixtures.DEMO_ORG;
import static io.ringfence.testkit.Fixtures.DEMO_PROJECT;
import static io.ringfence.testkit.Fixtures.DOCS_REGION;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.support.Reservations;
import io.ringfence.support.RingfenceTestBase;
import io.ringfence.testkit.RawHttp;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import jakarta.servlet.Filter;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.util.ReflectionUtils;
import tools.jackson.databind.JsonNode;

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
                Arguments.of("empty project ID", create(name, spec("1").replace(DEMO_PROJECT, ""))),
                Arguments.of("NUL in description", create("{\"name\":\"ok\",\"description\":\"a\\u0000b\"}", spec("1"))),
                Arguments.of("escape character in tag value", create("{\"name\":\"ok\",\"tags\":[{\"name\":\"a\",\"value\":\"\\u001b[31m\"}]}", spec("1"))),
                Arguments.of("C1 control in region", create(name, spec("1").replace(DOCS_REGION, DOCS_REGION + "\\u0085"))),
                Arguments.of("null tag", create("{\"name\":\"ok\",\"tags\":[null]}", spec("1"))),
                Arguments.of("empty tag name", create("{\"name\":\"ok\",\"tags\":[{\"name\":\"\",\"value\":\"v\"}]}", spec("1"))),
                Arguments.of("emoji organization ID", create(name, spec("1").replace(DEMO_ORG, "\uD83D\uDE00"))),
                Arguments.of("path organization ID", create(name, spec("1").replace(DEMO_ORG, "../../etc/passwd"))),
                Arguments.of("markup project ID", create(name, spec("1").replace(DEMO_PROJECT, "<script>"))),
                Arguments.of("upper-case project ID", create(name, spec("1").replace(DEMO_PROJECT, DEMO_PROJECT.toUpperCase()))),
                Arguments.of("description over 1024 characters",
                        create("{\"name\":\"ok\",\"description\":\"" + "d".repeat(1025) + "\"}", spec("1"))),
                Arguments.of("65 tags", create("{\"name\":\"ok\",\"tags\":" + tags(65, 1, 1) + "}", spec("1"))),
                Arguments.of("tag name over 63 characters",
                        create("{\"name\":\"ok\",\"tags\":" + tags(1, 64, 1) + "}", spec("1"))),
                Arguments.of("tag value over 255 characters",
                        create("{\"name\":\"ok\",\"tags\":" + tags(1, 1, 256) + "}", spec("1"))),
                Arguments.of("duplicated key", create("{\"name\":\"ok\",\"name\":\"again\"}", spec("1"))));
    }

    /** {@code count} tags with names of {@code nameLength} and values of {@code valueLength} characters. */
    static String tags(int count, int nameLength, int valueLength) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            String name = ("t" + i + "n".repeat(nameLength)).substring(0, nameLength);
            json.append(i == 0 ? "" : ",").append("{\"name\":\"").append(name).append("\",\"value\":\"")
                    .append("v".repeat(valueLength)).append("\"}");
        }
        return json.append(']').toString();
    }

    @Test
    void controlCharacterIsNamedByItsField() {
        RawHttp.Response response = api.post(demoToken(), "/api/v2/reservations",
                create("{\"name\":\"ok\",\"tags\":[{\"name\":\"a\",\"value\":\"x\\u0000\"}]}", spec("1")));
        assertError(response, 400, "invalid_request");
        assertThat(response.json().get("error_description").asString())
                .isEqualTo("request body invalid: field 'metadata.tags[0].value' contains a control character");
    }

    @Test
    void limitsThemselvesAreAccepted() {
        String body = create("{\"name\":\"at-the-limits\",\"description\":\"" + "d".repeat(1024) + "\",\"tags\":"
                + tags(64, 63, 255) + "}", spec("1"));
        RawHttp.Response response = api.post(demoToken(), "/api/v2/reservations", body);
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        String id = response.json().get("metadata").get("id").asString();
        Reservations.deleteAndAwaitGone(api, demoToken(), id);
        reservationsBefore = rows();
    }

    @Test
    void controlCharacterOrBadIdInQueryIs400() {
        for (String path : List.of("/api/v2/reservations", "/api/v2/placements",
                "/api/v2/organizations/" + DEMO_ORG + "/topology")) {
            assertError(api.get(demoToken(), path + "?projectID=a%00b"), 400, "invalid_request");
            assertError(api.get(demoToken(), path + "?projectID=%3Cscript%3E"), 400, "invalid_request");
            assertError(api.get(demoToken(), path + "?regionID=a%01b"), 400, "invalid_request");
        }
        assertError(api.get(demoToken(), "/api/v2/reservations?organizationID=..%2F..%2Fetc"), 400, "invalid_request");
        assertError(api.get(demoToken(), "/api/v2/reservations?tag=a%3Db%00"), 400, "invalid_request");
        assertError(api.get(operatorToken(), "/api/v2/operator/audit?organizationID=a%00b"), 400, "invalid_request");
        assertError(api.get(operatorToken(), "/api/v2/operator/audit?actor=a%00b"), 400, "invalid_request");
        assertError(api.get(operatorToken(), "/api/v2/operator/hosts?regionID=a%00b"), 400, "invalid_request");
        assertError(api.get(operatorToken(), "/api/v2/operator/hosts?domainID=a%7Fb"), 400, "invalid_request");
        assertThat(api.get(demoToken(), "/api/v2/reservations?projectID=" + DEMO_PROJECT).status()).isEqualTo(200);
    }

    @Test
    void badOrganizationIdInPathIs400() {
        assertError(api.get(demoToken(), "/api/v2/organizations/%3Cscript%3E/topology"), 400, "invalid_request");
        assertError(api.get(demoToken(), "/api/v2/organizations/" + DEMO_ORG.toUpperCase() + "/reservation-units"),
                400, "invalid_request");
        assertThat(api.get(demoToken(), "/api/v2/organizations/" + DEMO_ORG + "/topology").status()).isEqualTo(200);
    }

    @Test
    void nonAsciiOrControlInHeaderIs400() throws Exception {
        String body = create("{\"name\":\"ok\"}", spec("1"));
        assertError(api.post(demoToken(), "/api/v2/reservations", body,
                Map.of("Content-Type", "application/json", "Idempotency-Key", "a b")), 400, "invalid_request");
        // raw bytes: an HTTP client library would encode or refuse these itself
        String utf8Key = new String("cl\u00e9-\u20ac".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        for (String key : List.of("cl\u00e9", utf8Key, "a\u0001b", "a\u007fb")) {
            assertContractError(raw("POST /api/v2/reservations HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + demoToken() + "\r\nContent-Type: application/json\r\nIdempotency-Key: " + key + "\r\n"
                    + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length
                    + "\r\nConnection: close\r\n\r\n" + body), 400);
        }
        assertContractError(raw("GET /api/v2/reservations HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + demoToken() + "\r\nX-Note: a\u0002b\r\nConnection: close\r\n\r\n"), 400);
    }

    @Test
    void theFirewallInUseIsRingfences(@Autowired @Qualifier("springSecurityFilterChain") Filter chain,
                                      @Autowired HttpFirewall firewall) {
        // the loops of FirewallCharacters only help if Spring Security's chain took this bean instead of its own;
        // the context's chain wraps the FilterChainProxy that holds the firewall
        Object proxy = ReflectionUtils.findField(chain.getClass(), "springSecurityFilterChain") == null ? chain
                : ReflectionTestUtils.getField(chain, "springSecurityFilterChain");
        assertThat(proxy).isInstanceOf(FilterChainProxy.class);
        assertThat(firewall).isInstanceOf(StrictHttpFirewall.class);
        assertThat(ReflectionTestUtils.getField(proxy, "firewall")).isSameAs(firewall);
    }

    @Test
    void containerRejectionsAreTheContractErrorBody() throws Exception {
        String token = demoToken();
        assertContractError(raw("GET /api/v2/reservations/a%2Fb HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"), 400);
        assertContractError(raw("GET /api/v2/reservations/a%00b HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"), 400);
        assertContractError(raw("GET /api/v2/reservations HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                + "\r\nX-Padding: " + "p".repeat(64 * 1024) + "\r\nConnection: close\r\n\r\n"), 0);
        assertContractError(raw("GET /api/v2/reservations?regionID=" + "q".repeat(64 * 1024)
                + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"), 0);
    }

    @Test
    void oauthEndpointsKeepTheirOwnErrorBodies() {
        RawHttp.Response response = RawHttp.send(HttpRequest.newBuilder(
                        URI.create(api.baseUrl() + "/oauth2/v2/token?x=a%00b"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "no-such-client:wrong".getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
        assertThat(response.status()).as(response.toString()).isEqualTo(401);
        assertThat(response.json().get("error").asString()).isEqualTo("invalid_client");
        assertThat(response.json().has("trace_id")).isFalse();
    }

    /** One answer read off a socket: status, headers (names in lower case) and body. */
    record RawResponse(int status, Map<String, String> headers, String body) {
    }

    /** Sends {@code request} as ISO-8859-1 bytes on a fresh connection and reads the answer until the server closes. */
    static RawResponse raw(String request) throws Exception {
        try (Socket socket = new Socket("localhost", PORT)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (SocketException e) {
                // the server may answer and close before it has read all of an oversized request
            }
            byte[] bytes = socket.getInputStream().readAllBytes();
            String text = new String(bytes, StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String[] head = text.substring(0, end).split("\r\n");
            Map<String, String> headers = new HashMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                headers.put(head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).trim());
            }
            String body = text.substring(end + 4);
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = body.substring(body.indexOf("\r\n") + 2, body.lastIndexOf("\r\n0\r\n"));
            }
            return new RawResponse(Integer.parseInt(head[0].split(" ")[1]), headers, body);
        }
    }

    /** The contract's error body with {@code status} (any 4xx when 0). */
    static void assertContractError(RawResponse response, int status) {
        if (status == 0) {
            assertThat(response.status()).as(response.toString()).isBetween(400, 499);
        } else {
            assertThat(response.status()).as(response.toString()).isEqualTo(status);
        }
        assertThat(response.headers().get("content-type")).as(response.toString()).startsWith("application/json");
        assertThat(response.headers().get("cache-control")).as(response.toString()).contains("no-cache");
        JsonNode json = RawHttp.json().readTree(response.body());
        assertThat(json.get("error").asString()).isEqualTo(response.status() >= 500 ? "server_error" : "invalid_request");
        assertThat(json.get("error_description").asString()).isNotBlank();
        assertThat(json.get("trace_id").asString()).matches("[0-9a-f]{32}");
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
