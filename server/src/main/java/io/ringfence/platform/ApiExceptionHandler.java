package io.ringfence.platform;

import io.ringfence.error.ApiError;
import io.ringfence.error.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.ConstraintViolationException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;

/**
 * Turns every failure of a request into the contract's error body. Causes are logged with the trace ID;
 * callers see only a description that is safe to show.
 */
@RestControllerAdvice
public class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    private final ErrorWriter errors;

    public ApiExceptionHandler(ErrorWriter errors) {
        this.errors = errors;
    }

    @ExceptionHandler(ApiException.class)
    public void api(ApiException e, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (e.body() != null) {
            errors.writeBody(response, e.error(), e.body());
            return;
        }
        if (e.retryAfterSeconds() > 0) {
            response.setHeader("Retry-After", Integer.toString(e.retryAfterSeconds()));
        }
        errors.write(request, response, e.error(), e.description());
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    public void invalidBody(MethodArgumentNotValidException e, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        List<String> problems = new ArrayList<>();
        for (FieldError field : e.getBindingResult().getFieldErrors()) {
            problems.add(field.getField() + " " + field.getDefaultMessage());
        }
        e.getBindingResult().getGlobalErrors().forEach(g -> problems.add(g.getDefaultMessage()));
        badRequest(request, response, "request body invalid: " + String.join("; ", sorted(problems)));
    }

    @ExceptionHandler(HandlerMethodValidationException.class)
    public void invalidParameters(HandlerMethodValidationException e, HttpServletRequest request,
                                  HttpServletResponse response) throws IOException {
        List<String> problems = new ArrayList<>();
        e.getParameterValidationResults().forEach(result -> {
            String name = parameterName(result.getMethodParameter().getParameterName(), result);
            for (MessageSourceResolvable error : result.getResolvableErrors()) {
                problems.add(name + " " + error.getDefaultMessage());
            }
        });
        badRequest(request, response, "request invalid: " + String.join("; ", sorted(problems)));
    }

    @ExceptionHandler(ConstraintViolationException.class)
    public void constraintViolation(ConstraintViolationException e, HttpServletRequest request,
                                    HttpServletResponse response) throws IOException {
        String problems = e.getConstraintViolations().stream()
                .map(v -> lastNode(v.getPropertyPath().toString()) + " " + v.getMessage())
                .sorted().collect(Collectors.joining("; "));
        badRequest(request, response, "request invalid: " + problems);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    public void unreadable(HttpMessageNotReadableException e, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (causedBy(e, RequestSizeLimitFilter.PayloadTooLargeException.class)) {
            response.setHeader("Connection", "close");
            errors.write(request, response, ApiError.PAYLOAD_TOO_LARGE, null);
            return;
        }
        badRequest(request, response, "request body invalid: " + describe(e));
    }

    @ExceptionHandler({MethodArgumentTypeMismatchException.class})
    public void typeMismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request,
                             HttpServletResponse response) throws IOException {
        badRequest(request, response, "request invalid: parameter '" + e.getName() + "' has an invalid value");
    }

    @ExceptionHandler(ServletRequestBindingException.class)
    public void binding(ServletRequestBindingException e, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        badRequest(request, response, "request invalid: " + e.getBody().getDetail());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    public void methodNotAllowed(HttpRequestMethodNotSupportedException e, HttpServletRequest request,
                                 HttpServletResponse response) throws IOException {
        if (e.getSupportedHttpMethods() != null) {
            response.setHeader("Allow", e.getSupportedHttpMethods().stream().map(Object::toString)
                    .collect(Collectors.joining(", ")));
        }
        errors.write(request, response, ApiError.METHOD_NOT_ALLOWED,
                "method " + e.getMethod() + " is not allowed on this path");
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    public void unsupportedMediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request,
                                     HttpServletResponse response) throws IOException {
        errors.write(request, response, ApiError.UNSUPPORTED_MEDIA_TYPE, null);
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    public void notAcceptable(HttpMediaTypeNotAcceptableException e, HttpServletRequest request,
                              HttpServletResponse response) throws IOException {
        badRequest(request, response, "this API answers in application/json only; check the Accept header");
    }

    @ExceptionHandler({NoResourceFoundException.class, NoHandlerFoundException.class})
    public void noRoute(Exception e, HttpServletRequest request, HttpServletResponse response) throws IOException {
        errors.write(request, response, ApiError.NOT_FOUND, null);
    }

    @ExceptionHandler(Exception.class)
    public void unexpected(Exception e, HttpServletRequest request, HttpServletResponse response) throws Exception {
        log.error("Request {} {} failed", request.getMethod(), request.getRequestURI(), e);
        if (response.isCommitted()) {
            // part of a 200 is on its way (a list written as it is read): too late for an error body. Thrown on,
            // the failure makes the container cut the connection, so the client sees a broken answer, not a short one
            throw e;
        }
        errors.write(request, response, ApiError.SERVER_ERROR, null);
    }

    private void badRequest(HttpServletRequest request, HttpServletResponse response, String description)
            throws IOException {
        errors.write(request, response, ApiError.INVALID_REQUEST, description);
    }

    /** A reader's account of what is wrong with the body, naming the JSON field but no Java type. */
    static String describe(HttpMessageNotReadableException e) {
        Throwable cause = e.getCause();
        if (cause instanceof StreamReadException) {
            return "malformed JSON";
        }
        if (cause instanceof JacksonException jackson) {
            String path = jsonPath(jackson);
            String message = String.valueOf(jackson.getOriginalMessage());
            if (message.contains("out of range") || message.contains("Numeric value")) {
                return path.isEmpty() ? "a number is out of range" : "field '" + path + "' is out of range";
            }
            if (message.contains(StrictJsonConfiguration.TextDeserializer.PROBLEM)) {
                return path.isEmpty() ? "a string " + StrictJsonConfiguration.TextDeserializer.PROBLEM
                        : "field '" + path + "' " + StrictJsonConfiguration.TextDeserializer.PROBLEM;
            }
            if (message.startsWith("Unexpected end-of-input") || message.startsWith("Unexpected character")
                    || message.startsWith("Trailing token")) {
                return "malformed JSON";
            }
            return path.isEmpty() ? "the body does not match the expected structure"
                    : "field '" + path + "' has an invalid value or type";
        }
        if (e.getMessage() != null && e.getMessage().startsWith("Required request body is missing")) {
            return "the request body is missing";
        }
        return "the body could not be read as JSON";
    }

    private static String jsonPath(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String parameterName(String fallback, Object result) {
        return fallback == null ? "parameter" : fallback;
    }

    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    private static List<String> sorted(List<String> values) {
        return values.stream().sorted().toList();
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
