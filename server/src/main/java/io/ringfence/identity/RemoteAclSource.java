package io.ringfence.identity;

import io.ringfence.error.ApiException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * ACL source (c): a remote ACL endpoint in the Unikorn identity shape,
 * {@code GET <ringfence.identity.acl-endpoint>/api/v1/organizations/{organizationID}/acl}, called with the
 * caller's own bearer token. Answers are cached per token and organization for a short while
 * ({@code ringfence.identity.acl-cache}, default 30 s). An endpoint that does not answer (or answers 5xx) fails the
 * request with 500 and {@code Retry-After}, never with "no access", and its failures are not cached.
 */
@Component
public class RemoteAclSource {

    private static final Logger log = LoggerFactory.getLogger(RemoteAclSource.class);

    private final IdentityProperties properties;
    private final JsonMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public RemoteAclSource(IdentityProperties properties, JsonMapper json) {
        this.properties = properties;
        this.json = json;
    }

    public boolean enabled() {
        return properties.aclEndpoint() != null && !properties.aclEndpoint().isBlank();
    }

    public Acl aclFor(String token, String organizationId) {
        if (!enabled()) {
            return Acl.NONE;
        }
        String key = Integer.toHexString(token.hashCode()) + token.length() + "/" + organizationId;
        Cached cached = cache.get(key);
        if (cached != null && cached.expires() > System.nanoTime()) {
            return cached.acl();
        }
        Acl acl = fetch(token, organizationId);
        if (cache.size() > 10_000) {
            cache.clear();
        }
        cache.put(key, new Cached(acl, System.nanoTime() + properties.aclCache().toNanos()));
        return acl;
    }

    private Acl fetch(String token, String organizationId) {
        String base = properties.aclEndpoint().endsWith("/") ? properties.aclEndpoint().substring(0,
                properties.aclEndpoint().length() - 1) : properties.aclEndpoint();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/organizations/"
                                    + java.net.URLEncoder.encode(organizationId, java.nio.charset.StandardCharsets.UTF_8) + "/acl"))
                            .header("Authorization", "Bearer " + token).header("Accept", "application/json")
                            .timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 500) {
                throw new IOException("answered " + response.statusCode());
            }
            if (response.statusCode() != 200) {
                return Acl.NONE; // the identity service says the caller has no grants there
            }
            return UnikornAcl.parse(json.readValue(response.body(), Map.class));
        } catch (IOException | RuntimeException e) {
            // not "no access": that would tell the caller its objects do not exist
            log.warn("Remote ACL endpoint unavailable for organization {}: {}", organizationId, e.getMessage());
            throw unavailable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable();
        }
    }

    private static ApiException unavailable() {
        return ApiException.unavailable("access could not be checked because the identity service is unavailable; "
                + "try again later", 5);
    }

    private record Cached(Acl acl, long expires) {
    }
}
