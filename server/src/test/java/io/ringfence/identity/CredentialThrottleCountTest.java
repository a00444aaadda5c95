package io.ringfence.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The counting of failed sign-ins, on a clock the test moves. */
class CredentialThrottleCountTest {

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final CredentialThrottle throttle = new CredentialThrottle(
            new IdentityProperties.Throttle(Duration.ofSeconds(60), 3, 3, 5), new Clock() {
                @Override
                public ZoneOffset getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(java.time.ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return now;
                }
            });

    private static CredentialThrottle.Key client(String id) {
        return new CredentialThrottle.Key(CredentialThrottle.Kind.CLIENT, id);
    }

    private static CredentialThrottle.Key address(String ip) {
        return new CredentialThrottle.Key(CredentialThrottle.Kind.ADDRESS, ip);
    }

    @Test
    void aClientIsRefusedAtItsLimitUntilTheWindowEnds() {
        assertThat(throttle.failed(client("a"), address("10.0.0.1"))).isFalse();
        now = now.plusSeconds(10);
        assertThat(throttle.failed(client("a"), address("10.0.0.1"))).isFalse();
        assertThat(throttle.refusedFor(client("a"), address("10.0.0.1"))).isZero();
        assertThat(throttle.failed(client("a"), address("10.0.0.1"))).isTrue();
        // refused until 60 s after the first failure
        assertThat(throttle.refusedFor(client("a"), address("10.0.0.2"))).isEqualTo(Duration.ofSeconds(50));
        assertThat(throttle.refusedFor(client("b"), address("10.0.0.1"))).isZero();
        now = now.plusSeconds(50);
        assertThat(throttle.refusedFor(client("a"), address("10.0.0.1"))).isZero();
        // a new window starts with the next failure
        assertThat(throttle.failed(client("a"), address("10.0.0.1"))).isFalse();
    }

    @Test
    void aSuccessClearsTheClientsCountButNotTheAddresss() {
        throttle.failed(client("a"), address("10.0.0.1"));
        throttle.failed(client("a"), address("10.0.0.1"));
        throttle.succeeded(client("a"));
        throttle.failed(client("a"), address("10.0.0.1"));
        assertThat(throttle.refusedFor(client("a"))).isZero();
        throttle.failed(client("c"), address("10.0.0.1"));
        throttle.failed(client("d"), address("10.0.0.1"));
        // five failures from one address, spread over clients: the address is refused, for every client
        assertThat(throttle.refusedFor(client("e"), address("10.0.0.1"))).isPositive();
        assertThat(throttle.refusedFor(client("e"), address("10.0.0.9"))).isZero();
    }

    @Test
    void endedWindowsAreForgotten() {
        throttle.failed(client("a"), address("10.0.0.1"));
        now = now.plusSeconds(61);
        throttle.forgetEnded();
        throttle.failed(client("a"), address("10.0.0.1"));
        throttle.failed(client("a"), address("10.0.0.1"));
        assertThat(throttle.refusedFor(client("a"))).isZero();
    }
}
