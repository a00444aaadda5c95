package io.ringfence.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the contract's error body straight to the servlet response, the same way from filters, the security
 * chain and MVC handlers, and without content negotiation: an error is JSON whatever the client accepts.
 */
@Component
public class ErrorWriter {

    private final JsonMapper json;

    public ErrorWriter(JsonMapper json) {
        this.json = json;
    }

    public void write(HttpServletRequest request, HttpServletResponse response, int status, String error,
                      String description) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-cache");
        byte[] body = json.writeValueAsBytes(new ErrorResponse(error, description, TraceIdFilter.traceId(request)));
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }

    /** Writes a non-error-schema body for an error status (a schema the contract declares for it). */
    public void writeBody(HttpServletResponse response, int status, Object body) throws IOException {
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-cache");
        byte[] bytes = json.writeValueAsBytes(body);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
        response.flushBuffer();
    }

    public static String errorCodeFor(int status) {
        return switch (status) {
            case 400 -> "invalid_request";
            case 401 -> "access_denied";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 409, 507 -> "conflict";
            case 412, 428 -> "invalid_request";
            case 413 -> "request_entity_too_large";
            case 415 -> "unsupported_media_type";
            case 422 -> "unprocessable_content";
            default -> status >= 500 ? "server_error" : "invalid_request";
        };
    }
}
