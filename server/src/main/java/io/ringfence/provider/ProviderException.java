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

}
