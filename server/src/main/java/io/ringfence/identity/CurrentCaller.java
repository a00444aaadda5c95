package io.ringfence.identity;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

/** The caller of the request being handled, from the token the security chain validated. */
@Component
public class CurrentCaller {

    private final AccessBindings bindings;

    public CurrentCaller(AccessBindings bindings) {
        this.bindings = bindings;
    }

    public Caller get() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof Jwt jwt && jwt.getSubject() != null) {
            return bindings.callerFor(jwt.getSubject());
        }
        throw new IllegalStateException("no authenticated caller on this request");
    }
}
