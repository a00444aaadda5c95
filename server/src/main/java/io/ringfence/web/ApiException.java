package io.ringfence.web;

/**
 * A failure that the caller should see, with its HTTP status and the contract's error code. The description
 * is shown to users as it is, so it never carries internal detail.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String error;
    private final Object body;

    public ApiException(int status, String error, String description) {
        this(status, error, description, null);
    }

    private ApiException(int status, String error, String description, Object body) {
        super(description);
        this.status = status;
        this.error = error;
        this.body = body;
    }

    /** An answer whose body is a schema of its own rather than the error body (422 with release blockers). */
    public static ApiException withBody(int status, String description, Object body) {
        return new ApiException(status, ErrorWriter.errorCodeFor(status), description, body);
    }

    /** The body to send instead of the error body, or null. */
    public Object body() {
        return body;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String description() {
        return getMessage();
    }

    public static ApiException badRequest(String description) {
        return new ApiException(400, "invalid_request", description);
    }

    public static ApiException forbidden() {
        return new ApiException(403, "forbidden", "user credentials do not have the required privileges");
    }

    public static ApiException notFound() {
        return new ApiException(404, "not_found", "the requested resource does not exist");
    }

    public static ApiException conflict(String description) {
        return new ApiException(409, "conflict", description);
    }

    public static ApiException insufficientCapacity(String description) {
        return new ApiException(507, "conflict", description);
    }

    public static ApiException preconditionFailed(String description) {
        return new ApiException(412, "invalid_request", description);
    }

    public static ApiException preconditionRequired(String description) {
        return new ApiException(428, "invalid_request", description);
    }

    public static ApiException notImplemented() {
        return new ApiException(501, "server_error", "this operation is not available in this version of Ringfence");
    }
}
