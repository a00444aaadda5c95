package io.ringfence.identity;

import io.ringfence.platform.TraceIdFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Slows down guessing, in front of the security chain. At the endpoints that authenticate clients (token,
 * introspection, revocation) a client ID or source address that failed too often gets 429 with {@code Retry-After}
 * and an RFC 6749 error body, without its secret being checked; at the login page a user name or address that
 * failed too often gets 429 with {@code Retry-After} and a short page. Every failure is published for the audit
 * trail ({@link SignInRefused}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class CredentialThrottleFilter extends OncePerRequestFilter {

    static final Set<String> CLIENT_ENDPOINTS = Set.of("/oauth2/v2/token", "/oauth2/v2/introspect",
            "/oauth2/v2/revoke");
    private static final String LOGIN = "/login";

    private final CredentialThrottle throttle;
    private final ApplicationEventPublisher events;

    public CredentialThrottleFilter(CredentialThrottle throttle, ApplicationEventPublisher events) {
        this.throttle = throttle;
        this.events = events;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !"POST".equals(request.getMethod()) || !(CLIENT_ENDPOINTS.contains(path) || LOGIN.equals(path));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean login = LOGIN.equals(request.getRequestURI());
        String name = login ? request.getParameter("username") : clientId(request);
        if (name == null || name.isBlank()) {
            chain.doFilter(request, response); // no credentials to guess with
            return;
        }
        name = name.length() > 200 ? name.substring(0, 200) : name;
        CredentialThrottle.Key own = new CredentialThrottle.Key(
                login ? CredentialThrottle.Kind.USER : CredentialThrottle.Kind.CLIENT, name);
        CredentialThrottle.Key address = new CredentialThrottle.Key(CredentialThrottle.Kind.ADDRESS,
                request.getRemoteAddr());

        Duration wait = throttle.refusedFor(own, address);
        if (!wait.isZero()) {
            refuse(response, login, wait);
            return;
        }
        chain.doFilter(request, response);

        boolean failed = login ? response.getStatus() == 302 && location(response).contains("/login?error")
                : response.getStatus() == 401;
        boolean succeeded = login ? response.getStatus() == 302 && !failed : response.getStatus() == 200;
        if (failed) {
            boolean locked = throttle.failed(own, address);
            events.publishEvent(new SignInRefused(name, login ? "user" : "client",
                    login ? "login-refused" : "token-refused", response.getStatus(), TraceIdFilter.traceId(request),
                    "address " + request.getRemoteAddr() + (locked ? "; further attempts refused for "
                            + throttle.refusedFor(own, address).toSeconds() + " s" : "")));
        } else if (succeeded) {
            throttle.succeeded(own);
        }
    }

    private static void refuse(HttpServletResponse response, boolean login, Duration wait) throws IOException {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        response.setHeader("Retry-After", Long.toString(seconds));
        if (!login) {
            OAuthErrorBody.write(response, 429, "slow_down",
                    "too many failed attempts; retry after " + seconds + " s");
            return;
        }
        response.setStatus(429);
        response.setContentType("text/html;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write("<!DOCTYPE html><html><head><title>Too many attempts</title></head><body>"
                + "<p>Too many failed sign-ins. Please wait " + seconds + " seconds, then "
                + "<a href=\"/login\">try again</a>.</p></body></html>");
    }

    /** The client ID of HTTP Basic credentials, else of the {@code client_id} parameter. */
    private static String clientId(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                String id = colon < 0 ? decoded : decoded.substring(0, colon);
                return URLDecoder.decode(id, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return request.getParameter("client_id");
    }

    private static String location(HttpServletResponse response) {
        String location = response.getHeader("Location");
        return location == null ? "" : location;
    }
}
