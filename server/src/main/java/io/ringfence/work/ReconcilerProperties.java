package io.ringfence.work;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param enabled whether this replica works the queue at all
 * @param workers concurrent reconcile passes on this replica
 * @param pollInterval how often an idle worker looks for work committed by other replicas
 * @param lease how long a claimed item stays with this replica before another may take it over
 * @param initialBackoff first retry delay after a failed pass; doubles per attempt
 * @param maxBackoff longest retry delay
 * @param maxAttempts failed passes after which the resource is given up on ({@code error})
 * @param shutdownGrace how long passes in flight may take to finish when the service stops
 * @param batch how many due items a worker claims at once; a provisioner may pass over them together
 * @param gather how long a worker lets due work gather after it was woken or found less than a batch, so that one
 *     shared pass serves many items; platform work takes minutes, so this costs the owner nothing visible
 */
@ConfigurationProperties("ringfence.reconciler")
public record ReconcilerProperties(Boolean enabled, Integer workers, Duration pollInterval, Duration lease,
                                   Duration initialBackoff, Duration maxBackoff, Integer maxAttempts,
                                   Duration shutdownGrace, Integer batch, Duration gather) {
    public ReconcilerProperties {
        enabled = enabled == null ? Boolean.TRUE : enabled;
        workers = workers == null ? 4 : workers;
        pollInterval = pollInterval == null ? Duration.ofSeconds(1) : pollInterval;
        lease = lease == null ? Duration.ofSeconds(60) : lease;
        initialBackoff = initialBackoff == null ? Duration.ofSeconds(1) : initialBackoff;
        maxBackoff = maxBackoff == null ? Duration.ofMinutes(5) : maxBackoff;
        maxAttempts = maxAttempts == null ? 12 : maxAttempts;
        shutdownGrace = shutdownGrace == null ? Duration.ofSeconds(10) : shutdownGrace;
        batch = batch == null ? 32 : batch;
        gather = gather == null ? Duration.ofMillis(100) : gather;
        if (gather.isNegative()) {
            throw new IllegalArgumentException("ringfence.reconciler.gather must not be negative");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("ringfence.reconciler.batch must be at least 1");
        }
    }
}
