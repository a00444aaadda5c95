package io.ringfence.provider;

/** A provider operation failed; {@link #retryable()} says whether trying again may help. */
public class ProviderException extends RuntimeException {

    private final boolean retryable;

    public ProviderException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }

    /** Whether {@code failure} is the platform refusing for good, so trying again cannot help. */
    public static boolean permanent(RuntimeException failure) {
        return failure instanceof ProviderException provider && !provider.retryable();
    }
}
