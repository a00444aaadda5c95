package io.ringfence.identity;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * The caller of the request being handled, from the token the security chain validated, with the ACL of all
 * configured sources: role bindings from the access file, the token's {@code acl} claim (when enabled), and a
 * remote ACL endpoint (when configured). Built once per request.
 */
@Component
public class CurrentCaller {

    private static final String ATTRIBUTE = CurrentCaller.class.getName();
    private static final String SUBJECT = CurrentCaller.class.getName() + ".subject";

    private final AccessBindings bindings;
    private final RemoteAclSource remote;
    private final IdentityProperties properties;

    public CurrentCaller(AccessBindings bindings, RemoteAclSource remote, IdentityProperties properties) {
        this.bindings = bindings;
        this.remote = remote;
        this.properties = properties;
    }

    public Caller get() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes != null && attributes.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST) instanceof Caller cached) {
            return cached;
        }
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (!(authentication != null && authentication.getPrincipal() instanceof Jwt jwt && jwt.getSubject() != null)) {
            throw new IllegalStateException("no authenticated caller on this request");
        }
        String client = jwt.getClaimAsString("client_id") != null ? jwt.getClaimAsString("client_id")
                : jwt.getClaimAsString("azp");
        Acl acl = bindings.aclFor(jwt.getSubject(), client);
        if (properties.aclClaim() && jwt.hasClaim("acl")) {
            acl = acl.plus(UnikornAcl.parse(jwt.getClaim("acl")));
        }
        String token = jwt.getTokenValue();
        Caller caller = new Caller(jwt.getSubject(), client, acl, organization -> remote.aclFor(token, organization));
        if (attributes != null) {
            attributes.setAttribute(ATTRIBUTE, caller, RequestAttributes.SCOPE_REQUEST);
        }
        return caller;
    }

    /** The subject of the request's caller if one was authenticated, for the audit trail. */
    public static String subjectOf(HttpServletRequest request) {
        Object caller = request.getAttribute(ATTRIBUTE);
        if (caller instanceof Caller c) {
            return c.subject();
        }
        return request.getAttribute(SUBJECT) instanceof String subject ? subject : null;
    }

    /**
     * Remembers the subject of a valid token on the request as soon as the token is validated, so that a request
     * refused before any service asked who is calling (a body that fails validation, say) is still audited with
     * its actor. Runs in the API's security chain, after the bearer token filter.
     */
    public static Filter subjectRecorder() {
        return (request, response, chain) -> {
            Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
            if (authentication != null && authentication.getPrincipal() instanceof Jwt jwt) {
                request.setAttribute(SUBJECT, jwt.getSubject());
            }
            chain.doFilter(request, response);
        };
    }
}
