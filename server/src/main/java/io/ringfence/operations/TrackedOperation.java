package io.ringfence.operations;

import io.ringfence.provider.OperationKey;
import java.time.Instant;

/**
 * Platform work as Ringfence tracks it.
 *
 * @param expectedBy while started, when the platform expects it done (null: unknown)
 * @param failure why it failed for good, for operators' logs
 */
public record TrackedOperation(OperationKey key, Stage stage, Instant expectedBy, String failure) {

    /** Where the work stands: wanted (waiting for a slot), started, or finished either way. */
    public enum Stage {
        WANTED("wanted"), STARTED("started"), SUCCEEDED("succeeded"), FAILED("failed");

        private final String value;

        Stage(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }

        public static Stage fromValue(String value) {
            for (Stage stage : values()) {
                if (stage.value.equals(value)) {
                    return stage;
                }
            }
            throw new IllegalArgumentException("unknown operation stage " + value);
        }
    }

    public boolean succeeded() {
        return stage == Stage.SUCCEEDED;
    }

    public boolean failed() {
        return stage == Stage.FAILED;
    }
}
