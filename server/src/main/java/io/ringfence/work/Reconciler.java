package io.ringfence.work;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The one generic reconcile loop: claim due work items (a batch at a time), hand them to the provisioner of
 * their kind, record the outcomes. Failed passes back off exponentially and give up after a bounded number of attempts; an idle
 * worker sleeps until local work is committed or the poll interval passes, so nothing loops hot.
 */
@Component
public class Reconciler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    private final WorkQueue queue;
    private final WorkSignal signal;
    private final ReconcilerProperties properties;
    private final Map<WorkKind, Provisioner> provisioners;
    private final String owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();
    private final List<Thread> workers = new ArrayList<>();
    private final Timer queueWait;
    private final DistributionSummary batchSize;
    private final MeterRegistry meters;
    private volatile boolean running;

    public Reconciler(WorkQueue queue, WorkSignal signal, ReconcilerProperties properties,
                      List<Provisioner> provisioners, MeterRegistry meters) {
        this.meters = meters;
        this.queueWait = Timer.builder("ringfence.reconciler.queue.wait")
                .description("How long due work waited before a worker took it").register(meters);
        this.batchSize = DistributionSummary.builder("ringfence.reconciler.batch.size")
                .description("Work items one worker claimed and passed over together").register(meters);
        this.queue = queue;
        this.signal = signal;
        this.properties = properties;
        this.provisioners = provisioners.stream().collect(Collectors.toMap(Provisioner::kind, Function.identity()));
    }

    @Override
    public synchronized void start() {
        if (running || !properties.enabled()) {
            return;
        }
        running = true;
        for (int i = 0; i < properties.workers(); i++) {
            Thread worker = new Thread(this::work, "reconciler-" + i);
            worker.setDaemon(true);
            worker.start();
            workers.add(worker);
        }
    }

    /**
     * Stops claiming work, lets passes in flight finish for a bounded time, then hands back every lease this
     * replica still holds, so another replica takes the work at once instead of after the lease runs out.
     */
    @Override
    public synchronized void stop() {
        running = false;
        signal.wakeAll(workers.size());
        long deadline = System.nanoTime() + properties.shutdownGrace().toNanos();
        for (Thread worker : workers) {
            try {
                worker.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers.forEach(Thread::interrupt);
        workers.clear();
        try {
            int handedBack = queue.releaseLeasesOf(owner);
            if (handedBack > 0) {
                log.info("Handed back {} work items on shutdown", handedBack);
            }
        } catch (RuntimeException e) {
            log.warn("Could not hand back work items on shutdown; their leases will run out", e);
        }
    }

    /** Stops after the web server has drained its requests (which stops at a higher phase). */
    @Override
    public int getPhase() {
        return 0;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void work() {
        while (running) {
            try {
                List<WorkItem> items = queue.claim(owner, properties.lease(), properties.batch());
                if (!items.isEmpty()) {
                    processAll(items);
                }
                if (items.size() < properties.batch()) {
                    if (items.isEmpty()) {
                        signal.await(properties.pollInterval());
                    }
                    // let due work gather, so that the next claim takes many items into one shared pass rather than
                    // each create's item into a pass of its own
                    Thread.sleep(properties.gather().toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn("Reconciler could not reach the work queue; retrying", e);
                try {
                    Thread.sleep(properties.pollInterval().toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /**
     * One pass over each of {@code items}: the items of each kind go to their provisioner together, and the ends of
     * the passes it shared are recorded in one transaction. An item the shared pass left out, or every item of a
     * shared pass that failed, is passed over alone by {@link #process}, with its own retries and back-off.
     */
    public void processAll(List<WorkItem> items) {
        batchSize.record(items.size());
        Map<WorkKind, List<WorkItem>> byKind = new EnumMap<>(WorkKind.class);
        items.forEach(item -> byKind.computeIfAbsent(item.kind(), k -> new ArrayList<>()).add(item));
        byKind.forEach((kind, ofKind) -> {
            Provisioner provisioner = provisioners.get(kind);
            Map<String, Outcome> outcomes = Map.of();
            if (provisioner != null && ofKind.size() > 1) {
                try {
                    outcomes = provisioner.reconcileAll(ofKind.stream().map(WorkItem::resourceId).toList());
                } catch (RuntimeException e) {
                    log.warn("A shared pass over {} {} items failed; passing over each alone", ofKind.size(),
                            kind.value(), e);
                    outcomes = Map.of();
                }
            }
            List<WorkQueue.Settled> settled = new ArrayList<>();
            Map<String, String> waiting = new LinkedHashMap<>();
            for (WorkItem item : ofKind) {
                Outcome outcome = outcomes.get(item.resourceId());
                if (outcome == null || outcome instanceof Outcome.Terminal) {
                    // alone: no shared outcome, or a terminal one, which process records (rare)
                    if (outcome == null) {
                        process(item);
                    } else {
                        queueWait.record(Duration.ofMillis(item.waitedMillis()));
                        settle(provisioner, item, outcome);
                    }
                    continue;
                }
                queueWait.record(Duration.ofMillis(item.waitedMillis()));
                count(item, outcome);
                if (outcome instanceof Outcome.Yield yield) {
                    waiting.put(item.resourceId(), yield.reason());
                    settled.add(new WorkQueue.Settled(item, yield.after(), yield.reason()));
                } else {
                    settled.add(WorkQueue.Settled.done(item));
                }
            }
            if (!waiting.isEmpty()) {
                provisioner.waitingAll(waiting);
            }
            if (!settled.isEmpty()) {
                queue.settle(settled);
            }
        });
    }

    /** Runs one pass over {@code item} and records its outcome. Public for tests that drive passes by hand. */
    public void process(WorkItem item) {
        queueWait.record(Duration.ofMillis(item.waitedMillis()));
        Provisioner provisioner = provisioners.get(item.kind());
        if (provisioner == null) {
            queue.park(item, "no provisioner for kind " + item.kind().value());
            return;
        }
        Outcome outcome;
        try {
            outcome = provisioner.reconcile(item.resourceId());
        } catch (RuntimeException e) {
            log.warn("Reconcile of {} {} failed (attempt {})", item.kind().value(), item.resourceId(), item.attempts(), e);
            outcome = new Outcome.Yield(backoff(item.attempts()), "waiting to retry after a platform error");
            if (item.attempts() >= properties.maxAttempts()) {
                outcome = new Outcome.Terminal("gave up after " + item.attempts() + " attempts");
            }
        }
        settle(provisioner, item, outcome);
    }

    private void settle(Provisioner provisioner, WorkItem item, Outcome outcome) {
        count(item, outcome);
        if (outcome instanceof Outcome.Yield yield) {
            provisioner.waiting(item.resourceId(), yield.reason());
            queue.release(item, yield.after(), yield.reason());
        } else if (outcome instanceof Outcome.Terminal terminal) {
            provisioner.failed(item.resourceId(), terminal.reason());
            queue.park(item, terminal.reason());
        } else {
            queue.complete(item);
        }
    }

    private void count(WorkItem item, Outcome outcome) {
        meters.counter("ringfence.reconciler.outcomes", "kind", item.kind().value(),
                "outcome", outcome.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT)).increment();
    }

    Duration backoff(int attempts) {
        long millis = properties.initialBackoff().toMillis() << Math.min(Math.max(attempts - 1, 0), 20);
        return Duration.ofMillis(Math.min(millis, properties.maxBackoff().toMillis()));
    }
}
