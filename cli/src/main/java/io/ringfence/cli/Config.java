package io.ringfence.cli;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * rfctl's configuration file: named contexts (a service URL with its credentials and cached token) and which
 * one is current. Secrets are never stored; a client secret always comes from the environment.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class Config {

    public String currentContext;
    public List<Context> contexts = new ArrayList<>();
    /** Client-credentials tokens for URL/client pairs that come from the environment only, keyed "clientId@url". */
    public Map<String, CachedToken> tokenCache = new LinkedHashMap<>();

    public Optional<Context> context(String name) {
        return contexts.stream().filter(c -> c.name.equals(name)).findFirst();
    }

    /** One named connection. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class Context {
        public String name;
        public String url;
        /** Client of the client-credentials grant (its secret comes from RINGFENCE_CLIENT_SECRET); absent after login. */
        public String clientId;
        public String token;
        /** Epoch seconds after which {@link #token} is not used any more. */
        public Long tokenExpiry;
        /** The client the cached token was issued to (the clientId, or ringfence-console after login). */
        public String tokenClientId;

        public Context() {
        }

        public Context(String name, String url) {
            this.name = name;
            this.url = url;
        }
    }

    /** A cached access token. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class CachedToken {
        public String token;
        public Long tokenExpiry;

        public CachedToken() {
        }

        public CachedToken(String token, Long tokenExpiry) {
            this.token = token;
            this.tokenExpiry = tokenExpiry;
        }
    }
}
