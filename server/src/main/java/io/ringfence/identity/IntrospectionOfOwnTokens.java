package io.ringfence.identity;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenIntrospection;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationToken;

/**
 * Introspection answers only about the caller's own tokens: a client that introspects a token issued to another
 * client learns only {@code active: false}, as for an unknown token. Platform administrators may introspect any
 * token.
 */
class IntrospectionOfOwnTokens implements AuthenticationProvider {

    private final AuthenticationProvider delegate;
    private final AccessBindings bindings;

    IntrospectionOfOwnTokens(AuthenticationProvider delegate, AccessBindings bindings) {
        this.delegate = delegate;
        this.bindings = bindings;
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        Authentication result = delegate.authenticate(authentication);
        if (!(result instanceof OAuth2TokenIntrospectionAuthenticationToken introspection)
                || !introspection.getTokenClaims().isActive()
                || !(introspection.getPrincipal() instanceof OAuth2ClientAuthenticationToken client)
                || client.getRegisteredClient() == null) {
            return result;
        }
        String caller = client.getRegisteredClient().getClientId();
        if (caller.equals(introspection.getTokenClaims().getClientId())
                || bindings.aclFor(caller, caller).platformAdministrator()) {
            return result;
        }
        return new OAuth2TokenIntrospectionAuthenticationToken(introspection.getToken(), client,
                OAuth2TokenIntrospection.builder().build());
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return delegate.supports(authentication);
    }
}
