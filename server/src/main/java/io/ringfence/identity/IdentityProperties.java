package io.ringfence.identity;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param publicUrl the base URL clients reach this service at; also the embedded issuer's identifier
 *     ({@code RINGFENCE_PUBLIC_URL}, default {@code http://localhost:<port>})
 * @param issuerUri further trusted issuers, comma separated ({@code RINGFENCE_ISSUER_URI})
 * @param audience the audience every accepted token must carry ({@code RINGFENCE_AUDIENCE})
 * @param accessFile the role bindings: who administers which organization ({@code RINGFENCE_ACCESS_FILE}); unset
 *     means the demo bindings while the demo identities are on, else no bindings at all
 * @param tokenTimeToLive lifetime of tokens the embedded issuer signs (default 15 minutes)
 * @param clients the demo client-credentials clients (secrets in the clear, published in the README); registered
 *     only while the demo identities are on
 * @param users the demo people, who sign in on the login page; registered only while the demo identities are on
 * @param aclClaimEnabled whether an {@code acl} claim in a validated token grants access
 * @param aclEndpoint base URL of a remote ACL endpoint in the Unikorn identity shape, or empty
 * @param aclCache how long a remote ACL answer is reused
 * @param metricsClients clients (by client ID) that may read the management endpoints besides platform
 *     administrators: the metrics scraper's (default {@code ringfence-metrics})
 * @param demoIdentities whether the demo clients, people and bindings exist ({@code RINGFENCE_DEMO_IDENTITIES});
 *     unset means on exactly when Ringfence runs its embedded PostgreSQL (no {@code spring.datasource.url})
 * @param clientsFile the operator's clients and people with hashed secrets ({@code RINGFENCE_CLIENTS_FILE}), or
 *     empty; see {@link ClientsFile}
 * @param throttle how failed sign-ins (wrong client secrets, wrong passwords) are slowed down
 */
@ConfigurationProperties("ringfence.identity")
public record IdentityProperties(String publicUrl, String issuerUri, String audience, String accessFile,
                                 Duration tokenTimeToLive, List<Client> clients, List<User> users,
                                 Boolean aclClaimEnabled, String aclEndpoint, Duration aclCache,
                                 List<String> metricsClients, Boolean demoIdentities, String clientsFile,
                                 Throttle throttle) {

    public IdentityProperties {
        if (publicUrl == null || publicUrl.isBlank()) {
            publicUrl = "http://localhost:8080";
        }
        publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        if (audience == null || audience.isBlank()) {
            audience = "ringfence";
        }
        accessFile = accessFile == null || accessFile.isBlank() ? null : accessFile.trim();
        clientsFile = clientsFile == null || clientsFile.isBlank() ? null : clientsFile.trim();
        if (tokenTimeToLive == null) {
            tokenTimeToLive = Duration.ofMinutes(15);
        }
        clients = clients == null ? List.of() : List.copyOf(clients);
        users = users == null ? List.of() : List.copyOf(users);
        aclClaimEnabled = aclClaimEnabled == null ? Boolean.TRUE : aclClaimEnabled;
        aclCache = aclCache == null ? Duration.ofSeconds(30) : aclCache;
        metricsClients = metricsClients == null ? List.of("ringfence-metrics") : List.copyOf(metricsClients);
        throttle = throttle == null ? new Throttle(null, null, null, null) : throttle;
    }

    public boolean aclClaim() {
        return aclClaimEnabled;
    }

    /** The embedded authorization server's issuer identifier. */
    public String embeddedIssuer() {
        return publicUrl;
    }

    /** Issuers trusted besides the embedded one. */
    public List<String> externalIssuers() {
        List<String> issuers = new ArrayList<>();
        if (issuerUri != null) {
            Arrays.stream(issuerUri.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(issuers::add);
        }
        return issuers;
    }

    public record Client(String id, String secret) {
    }

    public record User(String username, String password) {
    }

    /**
     * Failed attempts are counted per client ID, per user name and per source address, over a window that starts
     * at the first failure; once a count reaches its limit, attempts for that key are refused until the window
     * ends (429 with {@code Retry-After} at the token endpoint, a refusal at the login page). A success clears
     * the count of its client or user.
     *
     * @param window how long failures are counted, and the longest a key stays refused (default 1 minute)
     * @param maxFailuresPerClient failures of one client ID within the window (default 10)
     * @param maxFailuresPerUser failures of one user name within the window (default 10)
     * @param maxFailuresPerAddress failures from one source address within the window (default 100)
     */
    public record Throttle(Duration window, Integer maxFailuresPerClient, Integer maxFailuresPerUser,
                           Integer maxFailuresPerAddress) {
        public Throttle {
            window = window == null ? Duration.ofMinutes(1) : window;
            maxFailuresPerClient = maxFailuresPerClient == null ? 10 : maxFailuresPerClient;
            maxFailuresPerUser = maxFailuresPerUser == null ? 10 : maxFailuresPerUser;
            maxFailuresPerAddress = maxFailuresPerAddress == null ? 100 : maxFailuresPerAddress;
        }
    }
}
