package io.ringfence.platform;

import io.ringfence.error.ApiError;
import io.ringfence.error.ApiException;
import io.ringfence.resource.ResourceIds;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses, with 400 in the contract's error body and before anything is read or written, requests whose query
 * parameters or header values hold control characters, whose {@code Idempotency-Key} is not visible ASCII, or
 * whose organization or project IDs (query parameters {@code organizationID} and {@code projectID}, the path
 * {@code /api/v2/organizations/{organizationID}/...}) do not have the shape of an ID ({@link ResourceIds}).
 * The OAuth 2.0 endpoints answer in their own error bodies (RFC 6749) and are left to the authorization server.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 11)
public class RequestHygieneFilter extends OncePerRequestFilter {

    /** Query parameters that carry organization or project IDs, wherever they appear. */
    static final Set<String> OWNER_PARAMETERS = Set.of("organizationID", "projectID");
    private static final String ORGANIZATIONS = "/api/v2/organizations/";

    private final ErrorWriter errors;

    public RequestHygieneFilter(ErrorWriter errors) {
        this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getRequestURI().startsWith("/oauth2/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String problem;
        try {
            problem = problem(request);
        } catch (ApiException e) {
            problem = e.description();
        } catch (IllegalStateException | IllegalArgumentException e) {
            // the container could not decode the query string
            problem = "request invalid: the query string cannot be decoded";
        }
        if (problem != null) {
            errors.write(request, response, ApiError.INVALID_REQUEST, problem);
            return;
        }
        chain.doFilter(request, response);
    }

    private static String problem(HttpServletRequest request) {
        for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements(); ) {
            String name = names.nextElement();
            for (String value : Collections.list(request.getHeaders(name))) {
                if (ControlCharacters.inHeader(value)) {
                    return "request invalid: header '" + name + "' contains a control character";
                }
            }
        }
        String key = request.getHeader("Idempotency-Key");
        if (key != null && !visibleAscii(key)) {
            return "request invalid: Idempotency-Key must be visible ASCII characters";
        }
        for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
            String name = parameter.getKey();
            if (ControlCharacters.inText(name)) {
                return "request invalid: a query parameter name contains a control character";
            }
            for (String value : parameter.getValue()) {
                if (ControlCharacters.inText(value)) {
                    return "request invalid: parameter '" + name + "' contains a control character";
                }
                if (OWNER_PARAMETERS.contains(name)) {
                    ResourceIds.requireParameter(value, name);
                }
            }
        }
        String path = request.getRequestURI();
        if (path.startsWith(ORGANIZATIONS)) {
            String rest = path.substring(ORGANIZATIONS.length());
            int slash = rest.indexOf('/');
            ResourceIds.requireParameter(slash < 0 ? rest : rest.substring(0, slash), "organizationID");
        }
        return null;
    }

    private static boolean visibleAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
