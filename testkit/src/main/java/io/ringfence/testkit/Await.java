package io.ringfence.testkit;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polls until a condition holds; fails with the last observed value after a generous timeout. */
public final class Await {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private Await() {
    }

    /** Polls {@code probe} every 50 ms until {@code done} accepts its value, for at most a minute. */
    public static <T> T until(Supplier<T> probe, Predicate<T> done, String what) {
        return until(probe, done, what, DEFAULT_TIMEOUT);
    }

    public static <T> T until(Supplier<T> probe, Predicate<T> done, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = probe.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + "; last seen: " + last);
            }
            pause(50);
            last = probe.get();
        }
        return last;
    }

    /** Sleeps; an interrupt is kept on the thread and ends the wait with an exception, never silently. */
    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
