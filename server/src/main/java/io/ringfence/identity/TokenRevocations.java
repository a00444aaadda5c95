package io.ringfence.identity;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Tokens of the embedded issuer that no longer count, although their signature and expiry are fine: revoked at the
 * revocation endpoint, or invalidated because their authorization code was replayed. The list lives in PostgreSQL
 * (table {@code revoked_token}, by {@code jti}); every replica keeps the unexpired IDs in memory, reloads them every
 * second, and the bearer token check looks a token up there (one hash lookup, no database call). A revocation is
 * thus refused on the replica that recorded it at once, and on every other replica within a second.
 *
 * <p>While the database cannot be read, the last loaded set stays in force.
 */
@Component
public class TokenRevocations {

    private static final Logger log = LoggerFactory.getLogger(TokenRevocations.class);

    private final JdbcClient jdbc;
    /** Revoked, unexpired token IDs; replaced as a whole by each reload, added to by local revocations. */
    private volatile Set<String> revoked = ConcurrentHashMap.newKeySet();

    public TokenRevocations(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records that the token with this ID no longer counts, until it expires; takes effect here at once. */
    public void revoke(String jti, Instant expiresAt, String clientId, String reason) {
        if (jti == null || expiresAt == null || !expiresAt.isAfter(Instant.now())) {
            return; // nothing to remember: without an ID it cannot be named, once expired it is refused anyway
        }
        jdbc.sql("""
                        INSERT INTO revoked_token (jti, expires_at, client_id, reason) VALUES (?, ?, ?, ?)
                        ON CONFLICT (jti) DO NOTHING""")
                .params(jti, Timestamp.from(expiresAt), clientId, reason)
                .update();
        revoked.add(jti);
        log.info("token revoked jti={} client={} reason={} expires_at={}", jti, clientId, reason, expiresAt);
    }

    /** Whether the token with this ID was revoked (as of the last reload, or by this replica since). */
    public boolean isRevoked(String jti) {
        return jti != null && revoked.contains(jti);
    }

    /** Reloads the unexpired revocations that any replica recorded. */
    @Scheduled(fixedDelayString = "PT1S", initialDelayString = "PT0S")
    public void reload() {
        try {
            Set<String> loaded = ConcurrentHashMap.newKeySet();
            loaded.addAll(jdbc.sql("SELECT jti FROM revoked_token WHERE expires_at > now()")
                    .query(String.class).list());
            revoked = loaded;
        } catch (RuntimeException e) {
            log.warn("could not reload token revocations, keeping the last {} loaded: {}", revoked.size(),
                    e.toString());
        }
    }

    /** Forgets revocations of tokens that have expired (a minute of slack for clock skew between replicas). */
    @Scheduled(fixedDelayString = "PT1M", initialDelayString = "PT1M")
    public int purgeExpired() {
        try {
            return jdbc.sql("DELETE FROM revoked_token WHERE expires_at < now() - interval '1 minute'").update();
        } catch (RuntimeException e) {
            log.warn("could not purge expired token revocations: {}", e.toString());
            return 0;
        }
    }

    /** How many revoked, unexpired token IDs this replica knows of. */
    public int size() {
        return revoked.size();
    }
}
