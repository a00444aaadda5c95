package io.ringfence.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors that never reach a handler (the container's own 404s and 400s, failures inside filters) are forwarded
 * here by the servlet container and answered in the same error body as everything else.
 */
@RestController
public class JsonErrorController implements ErrorController {

    private final ErrorWriter errors;

    public JsonErrorController(ErrorWriter errors) {
        this.errors = errors;
    }

    @RequestMapping("/error")
    public void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer value ? value : 500;
        if (status < 400) {
            status = 500;
        }
        String description = switch (status) {
            case 404 -> "the requested resource does not exist";
            case 405 -> "method not allowed on this path";
            case 413 -> "the request body exceeds 1 MiB";
            case 415 -> "the request body must be application/json";
            default -> status >= 500 ? "an internal error occurred; try again later" : "request invalid";
        };
        errors.write(request, response, status, ErrorWriter.errorCodeFor(status), description);
    }
}
