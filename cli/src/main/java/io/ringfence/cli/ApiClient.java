package io.ringfence.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/** Plain HTTP to the Reservation API with a bearer token from the client-credentials grant or {@code rfctl login}. */
public final class ApiClient {

    /** An answer of the API: status and body text as received. */
    public record Response(int status, String body) {
        public JsonNode json() {
            return Json.parse(body);
        }
    }

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final Session session;
    private final HttpClient http;
    private String token;

    public ApiClient(Session session) {
        this.session = session;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    public String url() {
        return session.url();
    }

    public Response get(String path) {
        return send("GET", path, null);
    }

    public Response post(String path, Object body) {
        return send("POST", path, body);
    }

    public Response delete(String path) {
        return send("DELETE", path, null);
    }

    /** Sends a request; an answer of 400 or more becomes an {@link ApiError} carrying the API's message. */
    public Response send(String method, String path, Object body) {
        Response response = exchange(method, path, body, token());
        if (response.status() == 401 && session.clientId() != null && session.clientSecret() != null) {
            // A cached token the service no longer accepts (e.g. its signing key changed): fetch a fresh one once.
            session.forgetToken();
            token = null;
            response = exchange(method, path, body, token());
        }
        if (response.status() >= 400) {
            throw error(response, session.clientId() == null && response.status() == 401
                    ? " (run rfctl login to sign in again)" : "");
        }
        return response;
    }

    private Response exchange(String method, String path, Object body, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + bearer);
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(
                            body instanceof String text ? text : Json.write(body), StandardCharsets.UTF_8));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return call(request.build());
    }

    private URI uri(String path) {
        try {
            return URI.create(session.url() + path);
        } catch (IllegalArgumentException e) {
            throw new CliException("invalid service URL " + session.url() + ": " + e.getMessage());
        }
    }

    private Response call(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), response.body());
        } catch (ConnectException e) {
            throw new CliException("cannot reach " + session.url() + ": connection refused");
        } catch (HttpConnectTimeoutException e) {
            throw new CliException("cannot reach " + session.url() + ": connection timed out");
        } catch (HttpTimeoutException e) {
            throw new CliException(session.url() + " did not answer in time");
        } catch (IOException e) {
            throw new CliException("cannot reach " + session.url() + ": " + (e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    /** The bearer token: a valid cached one, else a new one from the client-credentials grant. */
    String token() {
        if (token != null) {
            return token;
        }
        String cached = session.cachedToken();
        if (cached != null) {
            token = cached;
            return token;
        }
        if (session.clientId() == null) {
            throw new CliException("not signed in to " + session.url() + ": run rfctl login, or set "
                    + "RINGFENCE_CLIENT_ID and RINGFENCE_CLIENT_SECRET");
        }
        if (session.clientSecret() == null) {
            throw new CliException("no secret for client " + session.clientId() + ": set RINGFENCE_CLIENT_SECRET");
        }
        String basic = Base64.getEncoder().encodeToString((urlEncode(session.clientId()) + ":"
                + urlEncode(session.clientSecret())).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri("/oauth2/v2/token"))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "client_credentials"))))
                .build();
        TokenResult result = tokenResult(call(request), session.clock());
        session.storeClientToken(result.token(), result.expiry());
        token = result.token();
        return token;
    }

    /** An issued access token and the epoch second after which rfctl stops using it. */
    public record TokenResult(String token, long expiry) {
    }

    /** Reads a token endpoint answer (RFC 6749 section 5). */
    static TokenResult tokenResult(Response response, java.time.Clock clock) {
        JsonNode body;
        try {
            body = response.json();
        } catch (RuntimeException e) {
            throw new CliException("the token endpoint answered " + response.status() + " without a JSON body");
        }
        if (response.status() != 200 || !body.path("access_token").isString()) {
            String description = Json.text(body, "error_description");
            String code = Json.text(body, "error");
            throw new ApiError(response.status(), code, "authentication failed: "
                    + (!description.isEmpty() ? description : !code.isEmpty() ? code : "HTTP " + response.status()),
                    Json.text(body, "trace_id"));
        }
        long lifetime = body.path("expires_in").asLong(300);
        // Stop using a token a little before it expires so that a request never races its expiry.
        long expiry = clock.instant().getEpochSecond() + Math.max(0, lifetime - 30);
        return new TokenResult(body.path("access_token").asString(), expiry);
    }

    static ApiError error(Response response, String hint) {
        try {
            JsonNode body = response.json();
            String description = Json.text(body, "error_description");
            if (!description.isEmpty()) {
                return new ApiError(response.status(), Json.text(body, "error"), description + hint,
                        Json.text(body, "trace_id"));
            }
        } catch (RuntimeException ignored) {
            // not the contract's error body
        }
        return new ApiError(response.status(), null, "the service answered HTTP " + response.status() + hint, null);
    }

    public static String form(Map<String, String> fields) {
        return new LinkedHashMap<>(fields).entrySet().stream()
                .map(e -> urlEncode(e.getKey()) + "=" + urlEncode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    public static String urlEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Path segment escaping for IDs typed by the user. */
    public static String segment(String value) {
        return urlEncode(value);
    }
}
