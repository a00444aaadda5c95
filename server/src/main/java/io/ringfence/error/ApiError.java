package io.ringfence.error;

import io.ringfence.contract.model.ErrorCode;

/**
 * Every failure a caller can see: its HTTP status and the contract's error code together, and the description
 * used when a failure has nothing more specific to say. The only list of status-to-code pairs in Ringfence.
 */
public enum ApiError {

    INVALID_REQUEST(400, ErrorCode.INVALID_REQUEST, "request invalid"),
    UNAUTHENTICATED(401, ErrorCode.ACCESS_DENIED, "authentication failed"),
    FORBIDDEN(403, ErrorCode.FORBIDDEN, "user credentials do not have the required privileges"),
    NOT_FOUND(404, ErrorCode.NOT_FOUND, "the requested resource does not exist"),
    METHOD_NOT_ALLOWED(405, ErrorCode.METHOD_NOT_ALLOWED, "method not allowed on this path"),
    CONFLICT(409, ErrorCode.CONFLICT, "the request conflicts with the resource's current state"),
    PRECONDITION_FAILED(412, ErrorCode.INVALID_REQUEST, "a precondition of the request failed"),
    PAYLOAD_TOO_LARGE(413, ErrorCode.REQUEST_ENTITY_TOO_LARGE, "the request body exceeds 1 MiB"),
    URI_TOO_LONG(414, ErrorCode.INVALID_REQUEST, "the request URI is too long"),
    UNSUPPORTED_MEDIA_TYPE(415, ErrorCode.UNSUPPORTED_MEDIA_TYPE, "the request body must be application/json"),
    UNPROCESSABLE_CONTENT(422, ErrorCode.UNPROCESSABLE_CONTENT, "the request cannot be carried out as it stands"),
    PRECONDITION_REQUIRED(428, ErrorCode.INVALID_REQUEST, "the request must be conditional"),
    HEADERS_TOO_LARGE(431, ErrorCode.INVALID_REQUEST, "the request headers are too large"),
    SERVER_ERROR(500, ErrorCode.SERVER_ERROR, "an internal error occurred; try again later"),
    SERVICE_UNAVAILABLE(503, ErrorCode.SERVER_ERROR, "the service is not available; try again later"),
    INSUFFICIENT_CAPACITY(507, ErrorCode.CONFLICT, "insufficient capacity");

    private final int status;
    private final ErrorCode code;
    private final String defaultDescription;

    ApiError(int status, ErrorCode code, String defaultDescription) {
        this.status = status;
        this.code = code;
        this.defaultDescription = defaultDescription;
    }

    public int status() {
        return status;
    }

    public ErrorCode code() {
        return code;
    }

    public String defaultDescription() {
        return defaultDescription;
    }

    /** The error for a status Ringfence did not choose itself (the servlet container's own refusals). */
    public static ApiError forStatus(int status) {
        for (ApiError error : values()) {
            if (error.status == status) {
                return error;
            }
        }
        return status >= 500 ? SERVER_ERROR : INVALID_REQUEST;
    }
}
