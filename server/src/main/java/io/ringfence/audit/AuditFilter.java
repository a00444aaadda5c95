package io.ringfence.audit;

import io.ringfence.identity.CurrentCaller;
import io.ringfence.platform.TraceIdFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Records every mutating API request, allowed or refused (401 and 403 included), in the audit trail: time,
 * actor, client, organization, project, resource kind and ID, verb, status and trace ID. It runs outside the
 * security chain so that refusals there are recorded too.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
public class AuditFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(AuditFilter.class);
    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final AuditLog audit;

    public AuditFilter(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } finally {
            try {
                record(request, response.getStatus());
            } catch (RuntimeException e) {
                log.error("Could not record the audit event of {} {}", request.getMethod(), request.getRequestURI(), e);
            }
        }
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !MUTATING.contains(request.getMethod()) || !request.getRequestURI().startsWith("/api/");
    }

    private void record(HttpServletRequest request, int status) {
        if (Boolean.TRUE.equals(request.getAttribute(AuditTrail.RECORDED))) {
            return; // recorded with the change itself
        }
        audit.record(event(request, status));
    }

    /** The audit event of a request, from what the services said of it and what its route tells. */
    static AuditLog.AuditEvent event(HttpServletRequest request, int status) {
        String subject = CurrentCaller.subjectOf(request);
        AuditTrail.Resource resource = request.getAttribute(AuditTrail.RESOURCE) instanceof AuditTrail.Resource r
                ? r : fromRoute(request);
        Object route = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        String verb = request.getMethod() + " " + (route == null ? "unmatched" : route);
        String detail = null;
        if (request.getAttribute(AuditTrail.ACTION) instanceof AuditTrail.Action action) {
            verb = action.verb();
            detail = action.detail();
        }
        return new AuditLog.AuditEvent(null, subject == null ? "anonymous" : subject, subject,
                resource.organizationId(), resource.projectId(), resource.kind(), resource.id(), verb, status,
                TraceIdFilter.traceId(request), detail);
    }

    @SuppressWarnings("unchecked")
    private static AuditTrail.Resource fromRoute(HttpServletRequest request) {
        Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        Map<String, String> path = variables instanceof Map<?, ?> map ? (Map<String, String>) map : Map.of();
        String uri = request.getRequestURI();
        String kind = uri.contains("/servers") ? "server" : uri.contains("/placements") ? "placement"
                : uri.contains("/reservations") ? "reservation" : uri.contains("/operator") ? "operator" : "api";
        String id = path.getOrDefault("serverID", path.getOrDefault("placementID", path.get("reservationID")));
        return new AuditTrail.Resource(kind, id, path.get("organizationID"), null);
    }
}
