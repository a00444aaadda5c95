package io.ringfence.cli;

/** A failure to report to the user as one line, without a stack trace, and the exit code it maps to. */
public class CliException extends RuntimeException {

    /** Exit code of API errors, bad configuration and unreachable services. */
    public static final int FAILED = 1;
    /** Exit code of a command line that cannot be used as written. */
    public static final int USAGE = 2;
    /** Exit code of a resource that ended in {@code error} while waiting. */
    public static final int RESOURCE_ERROR = 3;
    /** Exit code of a wait that ran out of time. */
    public static final int TIMEOUT = 4;

    private final int exitCode;

    public CliException(String message) {
        this(message, FAILED);
    }

    public CliException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
