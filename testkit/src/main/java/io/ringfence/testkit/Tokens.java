package io.ringfence.testkit;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Real tokens from a running service's embedded authorization server. */
public final class Tokens {

    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private Tokens() {
    }

    /**
     * A client-credentials token, fetched once per service URL and client for the whole JVM, and again when it has
     * less than a minute to live.
     */
    public static String of(String baseUrl, Fixtures.Client client) {
        return CACHE.compute(baseUrl + "|" + client.id(),
                (k, cached) -> cached != null && !expiring(cached) ? cached : fetch(baseUrl, client));
    }

    /** Whether a JWT expires within a minute (or cannot be read). */
    static boolean expiring(String token) {
        try {
            String[] parts = token.split("\\.");
            long exp = RawHttp.json().readTree(Base64.getUrlDecoder().decode(parts[1])).get("exp").asLong();
            return exp * 1000 < System.currentTimeMillis() + 60_000;
        } catch (RuntimeException e) {
            return true;
        }
    }

    /** A fresh client-credentials token; fails unless the token endpoint answers 200. */
    public static String fetch(String baseUrl, Fixtures.Client client) {
        RawHttp.Response response = request(baseUrl, client.id(), client.secret());
        if (response.status() != 200) {
            throw new IllegalStateException("token request for " + client.id() + " failed: " + response);
        }
        return response.json().get("access_token").asString();
    }

    /** The token endpoint's raw answer to a client-credentials request with any ID and secret. */
    public static RawHttp.Response request(String baseUrl, String clientId, String secret) {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return RawHttp.send(HttpRequest.newBuilder(URI.create(baseUrl + "/oauth2/v2/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
    }

    /**
     * A person's token, the way the console and rfctl get one: authorization code with PKCE through the login
     * page (cached per service URL and person for the whole JVM, fetched again when it has under a minute to live).
     */
    public static String person(String baseUrl, Fixtures.Person person) {
        return CACHE.compute(baseUrl + "|person|" + person.username(),
                (k, cached) -> cached != null && !expiring(cached) ? cached
                        : new PersonLogin(baseUrl).token(person.username(), person.password()));
    }
}
