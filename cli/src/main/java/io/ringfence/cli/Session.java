package io.ringfence.cli;

import java.time.Clock;
import java.util.Map;

/**
 * The connection one invocation uses: the selected context ({@code --context}, else {@code RFCTL_CONTEXT}, else the
 * current one), overridden by {@code RINGFENCE_URL}, {@code RINGFENCE_CLIENT_ID} and {@code RINGFENCE_CLIENT_SECRET}.
 */
public final class Session {

    public static final String CONSOLE_CLIENT_ID = "ringfence-console";

    private final Map<String, String> env;
    private final ConfigStore store;
    private final Config config;
    private final Config.Context context;
    private final String url;
    private final String clientId;
    private final String clientSecret;
    private final Clock clock;

    Session(Map<String, String> env, ConfigStore store, String contextOption, Clock clock) {
        this.env = env;
        this.store = store;
        this.clock = clock;
        this.config = store.load();
        String explicit = firstNonBlank(contextOption, env.get("RFCTL_CONTEXT"));
        if (explicit != null) {
            this.context = config.context(explicit).orElseThrow(() -> new CliException("no context named "
                    + explicit + " (see rfctl context list)"));
        } else {
            this.context = config.currentContext == null ? null : config.context(config.currentContext).orElse(null);
        }
        String envUrl = blankToNull(env.get("RINGFENCE_URL"));
        String contextUrl = context == null ? null : context.url;
        String chosenUrl = envUrl != null ? envUrl : contextUrl;
        if (chosenUrl == null) {
            throw new CliException("no service URL: set RINGFENCE_URL or create a context with "
                    + "rfctl context set NAME --url URL");
        }
        this.url = stripTrailingSlash(chosenUrl);
        String envClient = blankToNull(env.get("RINGFENCE_CLIENT_ID"));
        this.clientId = envClient != null ? envClient : context == null ? null : blankToNull(context.clientId);
        this.clientSecret = blankToNull(env.get("RINGFENCE_CLIENT_SECRET"));
    }

    public String url() {
        return url;
    }

    public String clientId() {
        return clientId;
    }

    public String clientSecret() {
        return clientSecret;
    }

    public Clock clock() {
        return clock;
    }

    public Map<String, String> env() {
        return env;
    }

    /** The context in use, or null when the environment alone says where to connect. */
    public Config.Context context() {
        return context;
    }

    /** Whether the selected context's cached token may be used for this URL and client. */
    private boolean contextMatches(String expectedClient) {
        return context != null && context.url != null && stripTrailingSlash(context.url).equals(url)
                && expectedClient.equals(context.tokenClientId);
    }

    private String cacheKey() {
        return clientId + "@" + url;
    }

    /** A cached token for the current URL and client that is still valid, or null. */
    public String cachedToken() {
        long now = clock.instant().getEpochSecond();
        String expectedClient = clientId != null ? clientId : CONSOLE_CLIENT_ID;
        if (contextMatches(expectedClient) && context.token != null && context.tokenExpiry != null
                && context.tokenExpiry > now) {
            return context.token;
        }
        if (clientId != null) {
            Config.CachedToken cached = config.tokenCache.get(cacheKey());
            if (cached != null && cached.token != null && cached.tokenExpiry != null && cached.tokenExpiry > now) {
                return cached.token;
            }
        }
        return null;
    }

    /** Keeps a client-credentials token until it expires. */
    public void storeClientToken(String token, long expiry) {
        if (context != null && context.url != null && stripTrailingSlash(context.url).equals(url)
                && clientId.equals(context.clientId)) {
            context.token = token;
            context.tokenExpiry = expiry;
            context.tokenClientId = clientId;
        } else {
            config.tokenCache.put(cacheKey(), new Config.CachedToken(token, expiry));
        }
        store.save(config);
    }

    /** Forgets the cached token for the current URL and client (the service refused it). */
    public void forgetToken() {
        String expectedClient = clientId != null ? clientId : CONSOLE_CLIENT_ID;
        if (contextMatches(expectedClient)) {
            context.token = null;
            context.tokenExpiry = null;
            context.tokenClientId = null;
        }
        if (clientId != null) {
            config.tokenCache.remove(cacheKey());
        }
        store.save(config);
    }

    static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    static String stripTrailingSlash(String url) {
        String result = url.trim();
        while (result.endsWith("/")) {
            result = result.substring(0, result.length() - 1);
        }
        return result;
    }
}
