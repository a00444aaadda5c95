package io.ringfence.platform;

import io.ringfence.error.ApiError;
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
        errors.write(request, response, ApiError.forStatus(status), null);
    }
}
