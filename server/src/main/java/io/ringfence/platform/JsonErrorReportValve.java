package io.ringfence.platform;

import io.ringfence.error.ApiError;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servlet container's own error page, for what it refuses before Ringfence sees the request (an encoded
 * slash or NUL in the path, a request line or headers over the limits): the contract's error body, written by
 * {@link ErrorWriter}, instead of Tomcat's HTML. Errors that reach the application are answered there and have
 * a body already, which this leaves alone.
 */
public class JsonErrorReportValve extends ErrorReportValve {

    private static final Logger log = LoggerFactory.getLogger(JsonErrorReportValve.class);

    private final ErrorWriter errors;

    public JsonErrorReportValve(ErrorWriter errors) {
        this.errors = errors;
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        try {
            byte[] body = errors.body(ApiError.forStatus(status), null, TraceIdFilter.traceId(request));
            response.resetBuffer();
            response.setContentType("application/json");
            response.setHeader("Cache-Control", "no-cache");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            log.debug("Could not write the error body for status {}", status, e);
        }
    }
}
