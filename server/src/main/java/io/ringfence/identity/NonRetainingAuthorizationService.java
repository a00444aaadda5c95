package io.ringfence.identity;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.util.HashSet;
import java.util.List;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * Keeps authorizations only while a flow needs them. Client-credentials tokens are self-contained JWTs that
 * nothing looks up again, so storing each one would only grow the heap under load.
 *
 * <p>Revocation and introspection look a token up by its value: an access token of the embedded issuer that is not
 * held here (a client-credentials token, or one issued by another replica) is rebuilt from the token itself once
 * its signature and issuer check out, marked invalidated when it was revoked. When the authorization server saves
 * an authorization whose access token it invalidated (revocation, a replayed authorization code), the token's
 * {@code jti} goes to {@link TokenRevocations}, which every replica's bearer token check consults.
 */
class NonRetainingAuthorizationService implements OAuth2AuthorizationService {

    /** Marks an authorization rebuilt from its token: never retained. */
    static final String REBUILT = NonRetainingAuthorizationService.class.getName() + ".rebuilt";

    private final InMemoryOAuth2AuthorizationService delegate = new InMemoryOAuth2AuthorizationService();
    private final TokenRevocations revocations;
    private final RegisteredClientRepository clients;
    private final JwtDecoder tokens;

    NonRetainingAuthorizationService(TokenRevocations revocations, RegisteredClientRepository clients,
                                     JWKSource<SecurityContext> keys, String issuer) {
        this.revocations = revocations;
        this.clients = clients;
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(keys).jwsAlgorithm(SignatureAlgorithm.RS256).build();
        decoder.setJwtValidator(JwtValidators.createDefaultWithIssuer(issuer));
        this.tokens = decoder;
    }

    @Override
    public void save(OAuth2Authorization authorization) {
        OAuth2Authorization.Token<OAuth2AccessToken> accessToken = authorization.getAccessToken();
        if (accessToken != null && accessToken.isInvalidated()) {
            Object jti = accessToken.getClaims() == null ? null : accessToken.getClaims().get("jti");
            RegisteredClient client = clients.findById(authorization.getRegisteredClientId());
            revocations.revoke(jti == null ? null : jti.toString(), accessToken.getToken().getExpiresAt(),
                    client == null ? null : client.getClientId(),
                    authorization.getAttribute(REBUILT) != null ? "revoked" : "invalidated");
        }
        if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(authorization.getAuthorizationGrantType())
                || authorization.getAttribute(REBUILT) != null) {
            return;
        }
        delegate.save(authorization);
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        delegate.remove(authorization);
    }

    @Override
    public OAuth2Authorization findById(String id) {
        return delegate.findById(id);
    }

    @Override
    public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
        OAuth2Authorization held = delegate.findByToken(token, tokenType);
        if (held != null || (tokenType != null && !OAuth2TokenType.ACCESS_TOKEN.equals(tokenType))) {
            return held;
        }
        return rebuild(token);
    }

    /** The authorization of an access token of the embedded issuer, from the token alone; null for anything else. */
    private OAuth2Authorization rebuild(String token) {
        Jwt jwt;
        try {
            jwt = tokens.decode(token);
        } catch (JwtException e) {
            return null;
        }
        String clientId = jwt.getClaimAsString("client_id") != null ? jwt.getClaimAsString("client_id")
                : jwt.getClaimAsString("azp");
        RegisteredClient client = clientId == null ? null : clients.findByClientId(clientId);
        if (client == null || jwt.getId() == null) {
            return null;
        }
        List<String> scopes = jwt.getClaimAsStringList("scope");
        OAuth2AccessToken accessToken = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, token,
                jwt.getIssuedAt(), jwt.getExpiresAt(), scopes == null ? null : new HashSet<>(scopes));
        boolean revoked = revocations.isRevoked(jwt.getId());
        return OAuth2Authorization.withRegisteredClient(client)
                .id(jwt.getId())
                .principalName(jwt.getSubject())
                .authorizationGrantType(client.getAuthorizationGrantTypes().contains(
                        AuthorizationGrantType.CLIENT_CREDENTIALS) ? AuthorizationGrantType.CLIENT_CREDENTIALS
                        : AuthorizationGrantType.AUTHORIZATION_CODE)
                .authorizedScopes(scopes == null ? java.util.Set.of() : new HashSet<>(scopes))
                .attribute(REBUILT, true)
                .token(accessToken, metadata -> {
                    metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME, jwt.getClaims());
                    metadata.put(OAuth2Authorization.Token.INVALIDATED_METADATA_NAME, revoked);
                })
                .build();
    }
}
