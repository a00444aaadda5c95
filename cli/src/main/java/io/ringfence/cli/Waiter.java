package io.ringfence.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Polls a resource until it settles, printing a progress line (with the elapsed time) whenever what the
 * caller shows changes: state transitions and counts such as "5/8 servers running".
 */
final class Waiter {

    /** One observation of the resource. */
    record Observation<T>(T value, String line, boolean done, boolean failed) {
    }

    private final PrintWriter progress;
    private final Duration interval;
    private final Duration timeout;
    private final Clock clock;

    Waiter(PrintWriter progress, Duration interval, Duration timeout, Clock clock) {
        this.progress = progress;
        this.interval = interval;
        this.timeout = timeout;
        this.clock = clock;
    }

    <T> T await(String what, Supplier<Observation<T>> observe) {
        Instant start = clock.instant();
        String last = null;
        while (true) {
            Observation<T> observation = observe.get();
            if (!Objects.equals(observation.line(), last)) {
                Duration elapsed = Duration.between(start, clock.instant());
                progress.printf(Locale.ROOT, "[%5.1fs] %s%n", elapsed.toMillis() / 1000.0, observation.line());
                progress.flush();
                last = observation.line();
            }
            if (observation.failed()) {
                throw new CliException(what + " ended in error" + detailOf(observation.line()), CliException.RESOURCE_ERROR);
            }
            if (observation.done()) {
                return observation.value();
            }
            if (Duration.between(start, clock.instant()).compareTo(timeout) > 0) {
                throw new CliException("gave up waiting for " + what + " after " + timeout.toSeconds()
                        + " s (it goes on in the service)", CliException.TIMEOUT);
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted");
            }
        }
    }

    private static String detailOf(String line) {
        int colon = line.indexOf(": ");
        return colon < 0 ? "" : ": " + line.substring(colon + 2);
    }
}
