package io.ringfence.work;

import java.time.Duration;
import java.util.Objects;

/** What one reconcile pass of a resource achieved. */
public sealed interface Outcome {

    /** The resource has converged; nothing more to do until it changes. */
    record Done() implements Outcome {
    }

    /** Not there yet: try again after {@code after}. The reason is shown to users, so keep it plain. */
    record Yield(Duration after, String reason) implements Outcome {
        public Yield {
            Objects.requireNonNull(after, "after");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Cannot converge without an outside change; parked until the resource is touched again. */
    record Terminal(String reason) implements Outcome {
        public Terminal {
            Objects.requireNonNull(reason, "reason");
        }
    }

    static Outcome done() {
        return new Done();
    }
}
