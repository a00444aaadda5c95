package io.ringfence.identity;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTParser;
import java.text.ParseException;
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
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Validates bearer tokens of the embedded issuer (against its own key set, no HTTP call) and of each trusted
 * external issuer (discovery and JWKS fetched on first use, so the service starts while an issuer is down).
 * Every token must be signed with an asymmetric key, be within its validity window, name a trusted issuer and
 * carry the service's audience.
 */
public class RingfenceJwtDecoder implements JwtDecoder {

    private final String embeddedIssuer;
    private final JwtDecoder embedded;
    private final List<String> externalIssuers;
    private final String audience;
    private final Map<String, JwtDecoder> external = new ConcurrentHashMap<>();

    public RingfenceJwtDecoder(IdentityProperties properties, JWKSource<SecurityContext> embeddedKeys) {
        this.embeddedIssuer = properties.embeddedIssuer();
        this.externalIssuers = properties.externalIssuers();
        this.audience = properties.audience();
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(embeddedKeys)
                .jwsAlgorithm(SignatureAlgorithm.RS256).build();
        decoder.setJwtValidator(validator(embeddedIssuer));
        this.embedded = decoder;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        String issuer;
        try {
            issuer = JWTParser.parse(token).getJWTClaimsSet().getIssuer();
        } catch (ParseException e) {
            throw new BadJwtException("the token is not a well-formed JWT");
        }
        if (embeddedIssuer.equals(issuer)) {
            return embedded.decode(token);
        }
        if (issuer != null && externalIssuers.contains(issuer)) {
            return external.computeIfAbsent(issuer, this::externalDecoder).decode(token);
        }
        throw new BadJwtException("the token's issuer is not trusted");
    }

    private JwtDecoder externalDecoder(String issuer) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withIssuerLocation(issuer)
                .jwsAlgorithms(algorithms -> {
                    algorithms.add(SignatureAlgorithm.RS256);
                    algorithms.add(SignatureAlgorithm.ES256);
                })
                .build();
        decoder.setJwtValidator(validator(issuer));
        return decoder;
    }

    private OAuth2TokenValidator<Jwt> validator(String issuer) {
        OAuth2TokenValidator<Jwt> audienceValidator = jwt -> jwt.getAudience() != null
                && jwt.getAudience().contains(audience)
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token",
                        "the token is not meant for this service", null));
        return new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(issuer), audienceValidator);
    }
}
