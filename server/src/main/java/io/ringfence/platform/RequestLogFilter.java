package io.ringfence.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;

/**
 * One log line per request: method, route template (never the raw path with its IDs, never a query string,
 * header or body), status and duration, with the request's {@code trace_id} from the MDC. Health probes and
 * metric scrapes are left out.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class RequestLogFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger("ringfence.requests");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long start = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            Object route = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
            MDC.put("http.method", request.getMethod());
            MDC.put("http.route", route == null ? "unmatched" : route.toString());
            MDC.put("http.status", Integer.toString(response.getStatus()));
            MDC.put("duration_ms", Long.toString((System.nanoTime() - start) / 1_000_000));
            try {
                log.info("{} {} {} {}ms", request.getMethod(), route == null ? "unmatched" : route,
                        response.getStatus(), (System.nanoTime() - start) / 1_000_000);
            } finally {
                MDC.remove("http.method");
                MDC.remove("http.route");
                MDC.remove("http.status");
                MDC.remove("duration_ms");
            }
        }
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getRequestURI().startsWith("/actuator/");
    }
}
