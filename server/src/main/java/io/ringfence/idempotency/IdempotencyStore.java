package io.ringfence.idempotency;

import io.ringfence.error.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code Idempotency-Key} records. A key is scoped to the caller and the
 * operation and lives for 24 hours. The record is written in the create's own transaction, so it exists exactly
 * when the resource was created; a concurrent repeat waits on the first one's row lock and then sees it.
 */
@Repository
public class IdempotencyStore {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    public IdempotencyStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The fingerprint of a request body: a repeat with the same key must carry the same one. */
    public String requestHash(Object request) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(json.writeValueAsString(request).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    /**
     * For a create with an {@code Idempotency-Key} (none: always empty): the resource an earlier request with the
     * same key created, or empty after recording that {@code newResourceId} answers the key from now on. 400 when
     * the key was used with a different body. Must run inside the create's transaction.
     */
    public Optional<String> replay(String caller, String operation, String key, String requestHash,
                                   String newResourceId) {
        if (key == null) {
            return Optional.empty();
        }
        Optional<Earlier> earlier = claim(caller, operation, key, requestHash, newResourceId);
        if (earlier.isPresent() && !earlier.get().requestHash().equals(requestHash)) {
            throw ApiException.badRequest("Idempotency-Key was already used with a different request body");
        }
        return earlier.map(Earlier::resourceId);
    }

    /**
     * Records that {@code resourceId} answers this key, unless the key already answers for another resource.
     * Must run inside the create's transaction.
     *
     * @return empty if the key is new (the caller goes on to create), or the earlier record
     */
    private Optional<Earlier> claim(String caller, String operation, String key, String requestHash, String resourceId) {
        jdbc.sql("""
                        DELETE FROM idempotency_record
                        WHERE caller = ? AND operation = ? AND idempotency_key = ? AND created_at < now() - interval '24 hours'""")
                .params(caller, operation, key).update();
        int inserted = jdbc.sql("""
                        INSERT INTO idempotency_record (caller, operation, idempotency_key, request_hash, resource_id)
                        VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")
                .params(caller, operation, key, requestHash, resourceId).update();
        if (inserted == 1) {
            return Optional.empty();
        }
        return jdbc.sql("""
                        SELECT request_hash, resource_id FROM idempotency_record
                        WHERE caller = ? AND operation = ? AND idempotency_key = ?""")
                .params(caller, operation, key)
                .query((rs, n) -> new Earlier(rs.getString(1), rs.getString(2)))
                .optional();
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    public void expire() {
        jdbc.sql("DELETE FROM idempotency_record WHERE created_at < now() - interval '24 hours'").update();
    }

    /** What an earlier request with the same key created. */
    public record Earlier(String requestHash, String resourceId) {
    }
}
