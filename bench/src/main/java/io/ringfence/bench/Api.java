package io.ringfence.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** A small blocking client of the Reservation API, shared by all load threads. */
final class Api {

    static final String ORGANIZATION = "161b9d5a-701d-4fea-848d-0e345edf16e9";
    static final String PROJECT = "f113be96-4dd2-4c14-9c0e-e96c500f21e0";
    static final JsonMapper JSON = JsonMapper.builder().build();

    /** The answer to one call: status, body, and the time to the last byte of the body. */
    record Answer(int status, byte[] body, long nanos) {
        JsonNode json() {
            return JSON.readTree(body);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final String base;
    private final HttpClient http;
    private volatile String token;

    Api(String base, int clients) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(java.util.concurrent.Executors.newFixedThreadPool(Math.max(2, clients / 2), r -> {
                    Thread t = new Thread(r, "http-client");
                    t.setDaemon(true);
                    return t;
                }))
                .build();
    }

    String base() {
        return base;
    }

    /** A fresh client-credentials token of the demo client. */
    void authenticate() throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString("ringfence-demo:ringfence-demo-secret"
                .getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/oauth2/v2/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                .timeout(Duration.ofSeconds(30))
                .build();
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("token request answered " + answer.statusCode() + ": " + answer.body());
        }
        token = JSON.readTree(answer.body()).get("access_token").asString();
    }

    static byte[] createBody(String name, String regionId, int count, Map<String, String> tags) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode metadata = body.putObject("metadata");
        metadata.put("name", name);
        ArrayNode tagArray = metadata.putArray("tags");
        tags.forEach((k, v) -> tagArray.addObject().put("name", k).put("value", v));
        ObjectNode spec = body.putObject("spec");
        spec.put("organizationId", ORGANIZATION);
        spec.put("projectId", PROJECT);
        spec.put("regionId", regionId);
        spec.put("accelerator", "GB300");
        spec.put("unit", "NVL72");
        spec.put("count", count);
        return JSON.writeValueAsBytes(body);
    }

    Answer create(byte[] body) throws IOException, InterruptedException {
        return send(authorized("/api/v2/reservations").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    Answer get(String id) throws IOException, InterruptedException {
        return send(authorized("/api/v2/reservations/" + id).GET());
    }

    Answer delete(String id) throws IOException, InterruptedException {
        return send(authorized("/api/v2/reservations/" + id).DELETE());
    }

    /** GET /api/v2/reservations with query items, e.g. ("regionID", r), ("tag", "bench=run"). */
    Answer list(List<Map.Entry<String, String>> query) throws IOException, InterruptedException {
        StringBuilder path = new StringBuilder("/api/v2/reservations");
        char separator = '?';
        for (Map.Entry<String, String> item : query) {
            path.append(separator).append(item.getKey()).append('=')
                    .append(URLEncoder.encode(item.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        return send(authorized(path.toString()).GET());
    }

    Answer catalog() throws IOException, InterruptedException {
        return send(authorized("/api/v2/reservation-units").GET());
    }

    private HttpRequest.Builder authorized(String path) {
        return HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(60));
    }

    private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        long start = System.nanoTime();
        HttpResponse<byte[]> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(answer.statusCode(), answer.body(), System.nanoTime() - start);
    }
}
