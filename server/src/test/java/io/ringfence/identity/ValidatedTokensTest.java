package io.ringfence.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * The decoder's memory of validated tokens: it spares the signature check of a token seen before, and never lets
 * a token through that the full check would refuse (revoked, expired), whatever it remembers.
 */
class ValidatedTokensTest {

    private static final String ISSUER = "http://ringfence.test";
    private static RSAKey key;

    private final MovableClock clock = new MovableClock(Instant.parse("2026-06-01T12:00:00Z"));
    private final RevokedSet revocations = new RevokedSet();
    private final CountingKeys keys = new CountingKeys();

    @BeforeAll
    static void generateKey() throws JOSEException {
        key = new RSAKeyGenerator(2048).keyID("test-key").generate();
    }

    @Test
    void aTokenSeenBeforeIsNotVerifiedAgain() throws Exception {
        RingfenceJwtDecoder decoder = decoder(100);
        String token = token(clock.instant().plus(Duration.ofMinutes(15)));

        Jwt first = decoder.decode(token);
        int lookups = keys.lookups.get();
        Jwt again = decoder.decode(token);

        assertThat(again.getId()).isEqualTo(first.getId());
        assertThat(keys.lookups.get()).as("key lookups for the second call").isEqualTo(lookups);
        assertThat(decoder.rememberedTokens()).isEqualTo(1);
    }

    @Test
    void aRevokedTokenIsRefusedAfterBeingRemembered() throws Exception {
        RingfenceJwtDecoder decoder = decoder(100);
        String token = token(clock.instant().plus(Duration.ofMinutes(15)));
        String jti = decoder.decode(token).getId();
        assertThat(decoder.rememberedTokens()).isEqualTo(1);

        revocations.ids.add(jti);

        assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(JwtException.class).hasMessageContaining("revoked");
    }

    @Test
    void anExpiredTokenIsRefusedAfterBeingRemembered() throws Exception {
        RingfenceJwtDecoder decoder = decoder(100);
        Instant expiry = clock.instant().plus(Duration.ofMinutes(15));
        String token = token(expiry);
        decoder.decode(token);
        assertThat(decoder.rememberedTokens()).isEqualTo(1);

        // past the expiry and the validator's minute of clock skew
        clock.now = expiry.plus(Duration.ofSeconds(61));

        assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(JwtException.class).hasMessageContaining("expired");
        assertThat(decoder.rememberedTokens()).isZero();
    }

    @Test
    void theMemoryIsBoundedAndForgottenTokensStillPass() throws Exception {
        RingfenceJwtDecoder decoder = decoder(3);
        List<String> tokens = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            tokens.add(token(clock.instant().plus(Duration.ofMinutes(15))));
        }
        for (String token : tokens) {
            decoder.decode(token);
            assertThat(decoder.rememberedTokens()).isLessThanOrEqualTo(3);
        }
        for (String token : tokens) {
            assertThat(decoder.decode(token).getSubject()).isEqualTo("client-a");
        }
        assertThat(decoder.rememberedTokens()).isEqualTo(3);
    }

    @Test
    void whenFullAnExpiredEntryMakesRoomFirst() throws Exception {
        ValidatedTokens memory = new ValidatedTokens(2, clock);
        memory.remember("short", jwt(clock.instant().plusSeconds(10)), true);
        memory.remember("long", jwt(clock.instant().plusSeconds(600)), true);
        clock.now = clock.now.plusSeconds(20);

        memory.remember("new", jwt(clock.instant().plusSeconds(600)), true);

        assertThat(memory.size()).isEqualTo(2);
        assertThat(memory.find("long")).isNotNull();
        assertThat(memory.find("new")).isNotNull();
        assertThat(memory.find("short")).isNull();
    }

    private RingfenceJwtDecoder decoder(int capacity) {
        IdentityProperties properties = new IdentityProperties(ISSUER, null, null, null, null, null, null, null, null,
                null, null, null, null, null);
        return new RingfenceJwtDecoder(properties, keys, revocations, capacity, clock);
    }

    private String token(Instant expiry) throws JOSEException {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience("ringfence")
                .subject("client-a")
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(clock.instant().minusSeconds(1)))
                .expirationTime(Date.from(expiry))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private Jwt jwt(Instant expiry) {
        return Jwt.withTokenValue("t").header("alg", "RS256").subject("client-a").issuedAt(clock.instant())
                .expiresAt(expiry).build();
    }

    /** The embedded key set, counting how often the decoder asks it for keys (once per full check). */
    private static final class CountingKeys implements JWKSource<SecurityContext> {
        final AtomicInteger lookups = new AtomicInteger();

        @Override
        public List<JWK> get(JWKSelector selector, SecurityContext context) {
            lookups.incrementAndGet();
            return selector.select(new JWKSet(key));
        }
    }

    /** The revocation set without the database: what a reload or a local revocation leaves in memory. */
    private static final class RevokedSet extends TokenRevocations {
        final Set<String> ids = ConcurrentHashMap.newKeySet();

        RevokedSet() {
            super(null);
        }

        @Override
        public boolean isRevoked(String jti) {
            return jti != null && ids.contains(jti);
        }
    }

    private static final class MovableClock extends Clock {
        volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
