package io.ringfence.error;

/**
 * A failure that the caller should see. The description is shown to users as it is, so it never carries
 * internal detail. Thrown anywhere below the web edge; turned into HTTP in one place only.
 */
public class ApiException extends RuntimeException {

    private final ApiError error;
    private final transient Object body;
    private int retryAfterSeconds;

    public ApiException(ApiError error, String description) {
        this(error, description, null);
    }

    private ApiException(ApiError error, String description, Object body) {
        super(description == null ? error.defaultDescription() : description, null, false, false);
        this.error = error;
        this.body = body;
    }

    public ApiException(ApiError error) {
        this(error, null, null);
    }

    /** An answer whose body is a schema of its own rather than the error body (422 with release blockers). */
    public static ApiException withBody(ApiError error, String description, Object body) {
        return new ApiException(error, description, body);
    }

    /**
     * A failure of something Ringfence depends on, which the caller may retry after {@code seconds}
     * ({@code Retry-After}).
     */
    public static ApiException unavailable(String description, int seconds) {
        ApiException unavailable = new ApiException(ApiError.SERVER_ERROR, description);
        unavailable.retryAfterSeconds = seconds;
        return unavailable;
    }

    /** Seconds after which the caller may try again, or 0 when the answer says nothing about it. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public ApiError error() {
        return error;
    }

    /** The body to send instead of the error body, or null. */
    public Object body() {
        return body;
    }

    public String description() {
        return getMessage();
    }

    public static ApiException badRequest(String description) {
        return new ApiException(ApiError.INVALID_REQUEST, description);
    }

    public static ApiException forbidden() {
        return new ApiException(ApiError.FORBIDDEN);
    }

    public static ApiException notFound() {
        return new ApiException(ApiError.NOT_FOUND);
    }

    public static ApiException conflict(String description) {
        return new ApiException(ApiError.CONFLICT, description);
    }
}
