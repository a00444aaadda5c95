package io.ringfence.identity;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTParser;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Validates bearer tokens of the embedded issuer (against its own key set, no HTTP call) and of each trusted
 * external issuer (discovery and JWKS fetched on first use, so the service starts while an issuer is down).
 * Every token must be signed with an asymmetric key, carry {@code exp}, {@code iat} and {@code sub}, be within its
 * validity window, name a trusted issuer and carry the service's audience. A token of the embedded issuer whose
 * {@code jti} was revoked ({@link TokenRevocations}, an in-memory lookup) is refused.
 *
 * <p>A token that passed is remembered until its {@code exp} ({@link ValidatedTokens}): clients send the same token
 * for many calls, and checking it from scratch (parsing it twice, an RSA signature, the claim conversion) was about
 * a fifth of the CPU a get took under load. The revocation lookup is made on every call all the same, so a
 * revocation takes effect as quickly as without the memory. Tokens bound to a client certificate ({@code cnf}) are
 * never remembered: their binding is checked against each request.
 */
public class RingfenceJwtDecoder implements JwtDecoder {

    /**
     * Spring fills a missing {@code iat} in from {@code exp} while converting the claims, so its absence is checked
     * on the claims as signed.
     */
    private static final Converter<Map<String, Object>, Map<String, Object>> REQUIRE_ISSUED_AT = claims -> {
        if (claims.get(JwtClaimNames.IAT) == null) {
            throw new BadJwtException("the token must carry iat");
        }
        return MappedJwtClaimSetConverter.withDefaults(Map.of()).convert(claims);
    };

    private final String embeddedIssuer;
    private final JwtDecoder embedded;
    private final List<String> externalIssuers;
    private final String audience;
    private final Map<String, JwtDecoder> external = new ConcurrentHashMap<>();
    private final TokenRevocations revocations;
    private final ValidatedTokens validated;
    private final Clock clock;

    /** Tokens remembered at most: well above the live tokens of a replica's clients, a few tens of MiB at most. */
    static final int VALIDATED_TOKENS = 10_000;

    public RingfenceJwtDecoder(IdentityProperties properties, JWKSource<SecurityContext> embeddedKeys,
                               TokenRevocations revocations) {
        this(properties, embeddedKeys, revocations, VALIDATED_TOKENS, Clock.systemUTC());
    }

    RingfenceJwtDecoder(IdentityProperties properties, JWKSource<SecurityContext> embeddedKeys,
                        TokenRevocations revocations, int validatedTokens, Clock clock) {
        this.revocations = revocations;
        this.clock = clock;
        this.validated = new ValidatedTokens(validatedTokens, clock);
        this.embeddedIssuer = properties.embeddedIssuer();
        this.externalIssuers = properties.externalIssuers();
        this.audience = properties.audience();
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(embeddedKeys)
                .jwsAlgorithm(SignatureAlgorithm.RS256).build();
        decoder.setJwtValidator(validator(embeddedIssuer));
        decoder.setClaimSetConverter(REQUIRE_ISSUED_AT);
        this.embedded = decoder;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        ValidatedTokens.Entry known = validated.find(token);
        if (known != null) {
            if (known.embedded() && revocations.isRevoked(known.jwt().getId())) {
                throw new BadJwtException("the token was revoked");
            }
            return known.jwt();
        }
        String issuer;
        try {
            issuer = JWTParser.parse(token).getJWTClaimsSet().getIssuer();
        } catch (ParseException e) {
            throw new BadJwtException("the token is not a well-formed JWT");
        }
        if (embeddedIssuer.equals(issuer)) {
            Jwt jwt = embedded.decode(token);
            if (revocations.isRevoked(jwt.getId())) {
                throw new BadJwtException("the token was revoked");
            }
            remember(token, jwt, true);
            return jwt;
        }
        if (issuer != null && externalIssuers.contains(issuer)) {
            Jwt jwt = external.computeIfAbsent(issuer, this::externalDecoder).decode(token);
            remember(token, jwt, false);
            return jwt;
        }
        throw new BadJwtException("the token's issuer is not trusted");
    }

    private void remember(String token, Jwt jwt, boolean embedded) {
        if (!jwt.hasClaim("cnf")) {
            validated.remember(token, jwt, embedded);
        }
    }

    /** Validated tokens remembered now. */
    int rememberedTokens() {
        return validated.size();
    }

    private JwtDecoder externalDecoder(String issuer) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withIssuerLocation(issuer)
                .jwsAlgorithms(algorithms -> {
                    algorithms.add(SignatureAlgorithm.RS256);
                    algorithms.add(SignatureAlgorithm.ES256);
                })
                .build();
        decoder.setJwtValidator(validator(issuer));
        decoder.setClaimSetConverter(REQUIRE_ISSUED_AT);
        return decoder;
    }

    private OAuth2TokenValidator<Jwt> validator(String issuer) {
        OAuth2TokenValidator<Jwt> audienceValidator = jwt -> jwt.getAudience() != null
                && jwt.getAudience().contains(audience)
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token",
                        "the token is not meant for this service", null));
        // the default validators check exp and iat only when present: a token must carry both, and a subject
        OAuth2TokenValidator<Jwt> requiredClaims = jwt -> jwt.getExpiresAt() != null && jwt.getIssuedAt() != null
                && jwt.getSubject() != null && !jwt.getSubject().isBlank()
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token",
                        "the token must carry exp, iat and sub", null));
        // Spring's default timestamp check (60 s of clock skew), on the clock the remembered tokens expire by
        JwtTimestampValidator timestamps = new JwtTimestampValidator(Duration.ofSeconds(60));
        timestamps.setClock(clock);
        return new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithValidators(List.of(new JwtIssuerValidator(issuer), timestamps)),
                audienceValidator, requiredClaims);
    }
}
