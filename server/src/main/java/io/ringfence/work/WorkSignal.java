package io.ringfence.work;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/** Wakes this replica's idle reconciler workers when new work was committed here, instead of polling. */
@Component
public class WorkSignal {

    private final Semaphore permits = new Semaphore(0);

    public void wake() {
        if (permits.availablePermits() < 64) {
            permits.release();
        }
    }

    public void wakeAll(int workers) {
        permits.release(workers);
    }

    /** Waits until woken or until {@code timeout} passes. */
    public void await(Duration timeout) throws InterruptedException {
        permits.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
