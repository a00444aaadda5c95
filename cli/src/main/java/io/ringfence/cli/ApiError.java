package io.ringfence.cli;

/** An error answer of the API: the HTTP status and the contract's {@code error}, {@code error_description}, {@code trace_id}. */
public class ApiError extends CliException {

    private final int status;
    private final String error;
    private final String traceId;

    public ApiError(int status, String error, String description, String traceId) {
        super(description, FAILED);
        this.status = status;
        this.error = error;
        this.traceId = traceId;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String traceId() {
        return traceId;
    }
}
