package io.ringfence.support;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Talks to a running Ringfence over real HTTP with real tokens from its token endpoint. */
public final class ApiClient {

    public static final String DEMO_ORG = "161b9d5a-701d-4fea-848d-0e345edf16e9";
    public static final String DEMO_PROJECT = "f113be96-4dd2-4c14-9c0e-e96c500f21e0";
    public static final String OTHER_ORG = "9a8c6370-4065-4d4a-9da0-7678df40cd9d";
    public static final String DOCS_REGION = "c7568e2d-f9ab-453d-9a3a-51375f78426b";
    public static final String SECOND_REGION = "0f5a3c9e-6b1d-4e27-9a84-2d7c5e1b3f60";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public ApiClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public static JsonMapper json() {
        return JSON;
    }

    /** A client-credentials token from the embedded issuer (cached per client for the run). */
    public String token(String clientId) {
        return TOKENS.computeIfAbsent(baseUrl + "|" + clientId, k -> fetchToken(clientId, clientId + "-secret"));
    }

    public String fetchToken(String clientId, String secret) {
        Response response = tokenRequest(clientId, secret);
        if (response.status() != 200) {
            throw new IllegalStateException("token request failed: " + response.status() + " " + response.text());
        }
        return response.json().get("access_token").asString();
    }

    /**
     * Signs a person in the way the console and rfctl do: authorization code with PKCE through the login page,
     * with a real HTTP client that keeps cookies and sees every redirect.
     */
    public String userToken(String username, String password) {
        return TOKENS.computeIfAbsent(baseUrl + "|user|" + username, k -> new UserLogin(baseUrl).token(username, password));
    }

    public Response tokenRequest(String clientId, String secret) {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/oauth2/v2/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
    }

    public Response get(String token, String path) {
        return send(request(token, path).GET());
    }

    public Response delete(String token, String path) {
        return send(request(token, path).DELETE());
    }

    public Response post(String token, String path, String body) {
        return send(request(token, path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Response post(String token, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder builder = request(token, path);
        headers.forEach(builder::header);
        return send(builder.POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Response send(String method, String token, String path, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder builder = request(token, path);
        headers.forEach(builder::header);
        return send(builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body)));
    }

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

    private Response send(HttpRequest.Builder builder) {
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
    public record Response(int status, Map<String, java.util.List<String>> headers, String text) {
        public JsonNode json() {
            return JSON.readTree(text);
        }

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
