package io.ringfence.identity;

import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Tokens that passed every check, by their exact string, so that a client sending the same token again is not
 * verified from scratch (parsing, an RSA signature, the claim validators) on every call. An entry counts only until
 * the token's {@code exp}: after that the token goes through the full check again, as if never seen. Revocation is
 * not cached: the caller looks every hit up in {@link TokenRevocations}, which is a hash lookup.
 *
 * <p>At most {@code capacity} entries: when full, an expired entry or else an arbitrary one makes room. Losing an
 * entry costs one full check, never a wrong answer.
 */
final class ValidatedTokens {

    /** A validated token, and whether the embedded issuer signed it (only those can be revoked here). */
    record Entry(Jwt jwt, boolean embedded) {
    }

    private final int capacity;
    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    ValidatedTokens(int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1");
        }
        this.capacity = capacity;
        this.clock = clock;
    }

    /** The entry of this token if it was validated and has not expired since; else null. */
    Entry find(String token) {
        Entry entry = entries.get(token);
        if (entry == null) {
            return null;
        }
        if (!clock.instant().isBefore(entry.jwt().getExpiresAt())) {
            entries.remove(token, entry);
            return null;
        }
        return entry;
    }

    /** Remembers a token that has just passed every check. */
    void remember(String token, Jwt jwt, boolean embedded) {
        Instant expiresAt = jwt.getExpiresAt();
        if (expiresAt == null || !clock.instant().isBefore(expiresAt)) {
            return;
        }
        // puts are rare (once per token) and lookups never lock: serialising puts keeps the bound exact
        synchronized (this) {
            if (!entries.containsKey(token)) {
                while (entries.size() >= capacity) {
                    evictOne();
                }
            }
            entries.put(token, new Entry(jwt, embedded));
        }
    }

    int size() {
        return entries.size();
    }

    private void evictOne() {
        Instant now = clock.instant();
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        Map.Entry<String, Entry> first = null;
        // look at a few entries for an expired one before evicting a live one
        for (int looked = 0; it.hasNext() && looked < 16; looked++) {
            Map.Entry<String, Entry> e = it.next();
            if (first == null) {
                first = e;
            }
            if (!now.isBefore(e.getValue().jwt().getExpiresAt())) {
                entries.remove(e.getKey());
                return;
            }
        }
        if (first != null) {
            entries.remove(first.getKey());
        }
    }
}
