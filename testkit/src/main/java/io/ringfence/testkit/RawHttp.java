package io.ringfence.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Plain HTTP to a running Ringfence, for what a well-behaved client never sends or must see byte for byte:
 * malformed JSON, odd headers and methods, exact status codes, headers and error bodies. Everything else goes
 * through the generated client ({@link Clients}).
 */
public final class RawHttp {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final String baseUrl;
    private final HttpClient http;

    public RawHttp(String baseUrl) {
        this(baseUrl, HTTP);
    }

    /** Plain HTTP through a client of the caller's (e.g. HTTP/1.1 with an executor sized for a load run). */
    public RawHttp(String baseUrl, HttpClient http) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.http = http;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The JSON mapper the kit reads answers with. */
    public static JsonMapper json() {
        return JSON;
    }

    public Response get(String token, String path) {
        return send(http, request(token, path).GET());
    }

    public Response delete(String token, String path) {
        return send(http, request(token, path).DELETE());
    }

    /** POST with {@code Content-Type: application/json}. */
    public Response post(String token, String path, String body) {
        return send(http, request(token, path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** POST with exactly these headers (none added). */
    public Response post(String token, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder builder = request(token, path);
        headers.forEach(builder::header);
        return send(http, builder.POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Any method, headers and bytes; {@code body} may be null. */
    public Response send(String method, String token, String path, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder builder = request(token, path);
        headers.forEach(builder::header);
        return send(http, builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** {@code name=value} with the value URL-encoded. */
    public static String query(String name, String value) {
        return name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(String token, String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    /** Sends a request built elsewhere (e.g. to the token endpoint). */
    public static Response send(HttpRequest.Builder builder) {
        return send(HTTP, builder);
    }

    private static Response send(HttpClient http, HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One HTTP answer. */
    public record Response(int status, Map<String, List<String>> headers, String text) {
        public JsonNode json() {
            return JSON.readTree(text);
        }

        /** The first value of a header, by case-insensitive name, or null. */
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + text;
        }
    }
}
