package io.ringfence.platform;

import io.ringfence.contract.model.Error;
import io.ringfence.error.ApiError;
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

    public void write(HttpServletRequest request, HttpServletResponse response, ApiError error,
                      String description) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(error.status());
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-cache");
        byte[] body = body(error, description, TraceIdFilter.traceId(request));
        // neither flushed nor given a length (a complete body of known length is sent at once): the container
        // sends it when the request completes, after the audit filter recorded the refusal
        response.getOutputStream().write(body);
    }

    /** The contract's error body for {@code error}; its default description when {@code description} is null. */
    public byte[] body(ApiError error, String description, String traceId) {
        return json.writeValueAsBytes(new Error(error.code(), description == null ? error.defaultDescription()
                : description).traceId(traceId));
    }

    /** Writes a non-error-schema body for an error status (a schema the contract declares for it). */
    public void writeBody(HttpServletResponse response, ApiError error, Object body) throws IOException {
        response.resetBuffer();
        response.setStatus(error.status());
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-cache");
        byte[] bytes = json.writeValueAsBytes(body);
        response.getOutputStream().write(bytes);
    }

}
