package io.ringfence.cli;

import io.ringfence.client.ApiClient;
import io.ringfence.client.ApiException;
import io.ringfence.client.api.OperatorApi;
import io.ringfence.client.api.PlacementServersApi;
import io.ringfence.client.api.PlacementsApi;
import io.ringfence.client.api.ReservationUnitsApi;
import io.ringfence.client.api.ReservationsApi;
import io.ringfence.client.api.TopologyApi;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.net.ssl.SSLSession;
import tools.jackson.databind.JsonNode;

/**
 * The Reservation API through the generated client ({@code io.ringfence.client}), with rfctl's bearer token (from
 * the client-credentials grant or {@code rfctl login}), one renewal of a refused cached token, and the API's error
 * messages. Every answer keeps the body exactly as the service sent it, for {@code -o json}.
 */
public final class Api {

    /** A successful answer: the typed value and the body exactly as received. */
    public record Answer<T>(T value, String body) {
        public JsonNode json() {
            return Json.parse(body);
        }
    }

    /** A raw answer (the token endpoint's, or an error): status and body text as received. */
    public record Response(int status, String body) {
        public JsonNode json() {
            return Json.parse(body);
        }
    }

    /** One call of the generated client. */
    @FunctionalInterface
    public interface Call<T> {
        T call(Api api) throws ApiException;
    }

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final Session session;
    private final HttpClient http;
    private ApiClient client;
    private ReservationUnitsApi units;
    private ReservationsApi reservations;
    private PlacementsApi placements;
    private PlacementServersApi servers;
    private TopologyApi topology;
    private OperatorApi operator;
    private String token;
    private String lastBody;

    public Api(Session session) {
        this.session = session;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    public String url() {
        return session.url();
    }

    public ReservationUnitsApi units() {
        return units;
    }

    public ReservationsApi reservations() {
        return reservations;
    }

    public PlacementsApi placements() {
        return placements;
    }

    public PlacementServersApi servers() {
        return servers;
    }

    public TopologyApi topology() {
        return topology;
    }

    public OperatorApi operator() {
        return operator;
    }

    /**
     * Makes one call; an answer of 400 or more becomes an {@link ApiError} carrying the API's message, a transport
     * failure a {@link CliException} saying what happened.
     */
    public <T> Answer<T> call(Call<T> call) {
        token();
        connect();
        try {
            return answer(call);
        } catch (ApiException e) {
            if (e.getCode() == 401 && session.clientId() != null && session.clientSecret() != null) {
                // A cached token the service no longer accepts (e.g. its signing key changed): fetch a fresh one once.
                session.forgetToken();
                token = null;
                token();
                try {
                    return answer(call);
                } catch (ApiException again) {
                    throw failure(again);
                }
            }
            throw failure(e);
        }
    }

    private <T> Answer<T> answer(Call<T> call) throws ApiException {
        lastBody = null;
        try {
            T value = call.call(this);
            return new Answer<>(value, lastBody == null ? "" : lastBody);
        } catch (UncheckedIOException e) {
            throw new ApiException(e.getCause());
        }
    }

    private RuntimeException failure(ApiException e) {
        if (e.getCode() == 0) {
            Throwable cause = e.getCause();
            if (cause instanceof ConnectException) {
                return new CliException("cannot reach " + session.url() + ": connection refused");
            }
            if (cause instanceof HttpConnectTimeoutException) {
                return new CliException("cannot reach " + session.url() + ": connection timed out");
            }
            if (cause instanceof HttpTimeoutException) {
                return new CliException(session.url() + " did not answer in time");
            }
            if (cause instanceof IOException) {
                return new CliException("cannot reach " + session.url() + ": " + (cause.getMessage() == null
                        ? cause.getClass().getSimpleName() : cause.getMessage()));
            }
            if (cause instanceof InterruptedException) {
                return new CliException("interrupted");
            }
            return new IllegalStateException(cause == null ? e.getMessage() : cause.getMessage(), e);
        }
        Response response = new Response(e.getCode(), lastBody != null ? lastBody
                : e.getResponseBody() == null ? "" : e.getResponseBody());
        return error(response, session.clientId() == null && e.getCode() == 401
                ? " (run rfctl login to sign in again)" : "");
    }

    /** The generated client for the session's URL, sending the current token and keeping every answer's body. */
    private void connect() {
        if (client != null) {
            return;
        }
        ApiClient configured = new ApiClient();
        try {
            URI uri = URI.create(session.url());
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
            configured.updateBaseUri(session.url());
        } catch (IllegalArgumentException e) {
            throw new CliException("invalid service URL " + session.url() + ": " + e.getMessage());
        }
        configured.setHttpClientBuilder(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)));
        configured.setReadTimeout(REQUEST_TIMEOUT);
        configured.setRequestInterceptor(request -> request.header("Accept", "application/json")
                .header("Authorization", "Bearer " + token));
        configured.setResponseInterceptor(this::keepBody);
        client = configured;
        units = new ReservationUnitsApi(client);
        reservations = new ReservationsApi(client);
        placements = new PlacementsApi(client);
        servers = new PlacementServersApi(client);
        topology = new TopologyApi(client);
        operator = new OperatorApi(client);
    }

    /** Reads the body once, keeps its text, and hands the generated code an answer that reads the same bytes. */
    private HttpResponse<InputStream> keepBody(HttpResponse<InputStream> response) {
        byte[] bytes;
        try (InputStream in = response.body()) {
            bytes = in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        lastBody = new String(bytes, StandardCharsets.UTF_8);
        InputStream replay = new ByteArrayInputStream(bytes);
        return new HttpResponse<>() {
            @Override
            public int statusCode() {
                return response.statusCode();
            }

            @Override
            public HttpRequest request() {
                return response.request();
            }

            @Override
            public Optional<HttpResponse<InputStream>> previousResponse() {
                return response.previousResponse();
            }

            @Override
            public HttpHeaders headers() {
                return response.headers();
            }

            @Override
            public InputStream body() {
                return replay;
            }

            @Override
            public Optional<SSLSession> sslSession() {
                return response.sslSession();
            }

            @Override
            public URI uri() {
                return response.uri();
            }

            @Override
            public HttpClient.Version version() {
                return response.version();
            }
        };
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
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(session.url() + "/oauth2/v2/token"))
                    .timeout(REQUEST_TIMEOUT)
                    .header("Authorization", "Basic " + basic)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "client_credentials"))))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new CliException("invalid service URL " + session.url() + ": " + e.getMessage());
        }
        TokenResult result = tokenResult(send(request), session.clock());
        session.storeClientToken(result.token(), result.expiry());
        token = result.token();
        return token;
    }

    /** Sends a request outside the contract (the token endpoint), mapping transport failures to messages. */
    private Response send(HttpRequest request) {
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
}
