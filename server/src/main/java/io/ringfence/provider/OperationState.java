package io.ringfence.provider;

import java.time.Instant;
import java.util.Objects;

/**
 * Where one piece of platform work stands.
 *
 * @param expectedBy while running, when the platform expects it to be done (null: no estimate)
 * @param failure for a failed operation, why, for operators' logs (never shown to users)
 * @param retryable for a failed operation, whether starting it again may succeed
 */
public record OperationState(Phase phase, Instant expectedBy, String failure, boolean retryable) {

    public enum Phase { NOT_STARTED, RUNNING, SUCCEEDED, FAILED }

    public static final OperationState NOT_STARTED = new OperationState(Phase.NOT_STARTED, null, null, false);
    public static final OperationState SUCCEEDED = new OperationState(Phase.SUCCEEDED, null, null, false);

    public OperationState {
        Objects.requireNonNull(phase, "phase");
    }

    public static OperationState running(Instant expectedBy) {
        return new OperationState(Phase.RUNNING, expectedBy, null, false);
    }

    public static OperationState failed(String failure, boolean retryable) {
        return new OperationState(Phase.FAILED, null, failure, retryable);
    }

    public boolean finished() {
        return phase == Phase.SUCCEEDED || phase == Phase.FAILED;
    }
}
