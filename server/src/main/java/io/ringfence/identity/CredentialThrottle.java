package io.ringfence.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Counts failed sign-ins (wrong client secrets at the token, introspection and revocation endpoints, wrong
 * passwords at the login page) per client ID, per user name and per source address, and says when a key has
 * failed too often: it is then refused until its window, which starts at its first failure, ends. A success
 * clears the count of its client or user (not of its address, which an attacker could otherwise clear with a
 * client of their own).
 *
 * <p>The counts are kept in memory, per replica: behind a load balancer that spreads attempts over N replicas an
 * attacker gets up to N times the limit per window.
 */
@Component
public class CredentialThrottle {

    /** What a count is kept for. */
    public enum Kind { CLIENT, USER, ADDRESS }

    /** One thing counted: a client ID, a user name or a source address. */
    public record Key(Kind kind, String value) {
    }

    private record Failures(Instant windowStart, int count) {
    }

    private final IdentityProperties.Throttle settings;
    private final Map<Key, Failures> failures = new ConcurrentHashMap<>();
    private final Clock clock;

    @Autowired
    public CredentialThrottle(IdentityProperties properties) {
        this(properties.throttle(), Clock.systemUTC());
    }

    CredentialThrottle(IdentityProperties.Throttle settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** How long the caller must wait before trying any of these keys again; zero if it may try now. */
    public Duration refusedFor(Key... keys) {
        Instant now = clock.instant();
        Duration longest = Duration.ZERO;
        for (Key key : keys) {
            Failures counted = failures.get(key);
            if (counted == null || counted.count() < limit(key.kind())) {
                continue;
            }
            Duration left = Duration.between(now, counted.windowStart().plus(settings.window()));
            if (left.compareTo(longest) > 0) {
                longest = left;
            }
        }
        return longest;
    }

    /** Counts a failure against each key; true when it made one of them reach its limit. */
    public boolean failed(Key... keys) {
        Instant now = clock.instant();
        boolean reached = false;
        for (Key key : keys) {
            Failures counted = failures.compute(key, (k, old) -> old == null || expired(old, now)
                    ? new Failures(now, 1) : new Failures(old.windowStart(), old.count() + 1));
            reached |= counted.count() == limit(key.kind());
        }
        return reached;
    }

    /** A success: the client's or user's count starts over. */
    public void succeeded(Key key) {
        failures.remove(key);
    }

    /** Forgets windows that have ended, so that the map holds only recent failures. */
    @Scheduled(fixedDelayString = "PT1M", initialDelayString = "PT1M")
    public void forgetEnded() {
        Instant now = clock.instant();
        failures.values().removeIf(counted -> expired(counted, now));
    }

    private boolean expired(Failures counted, Instant now) {
        return !now.isBefore(counted.windowStart().plus(settings.window()));
    }

    private int limit(Kind kind) {
        return switch (kind) {
            case CLIENT -> settings.maxFailuresPerClient();
            case USER -> settings.maxFailuresPerUser();
            case ADDRESS -> settings.maxFailuresPerAddress();
        };
    }
}
