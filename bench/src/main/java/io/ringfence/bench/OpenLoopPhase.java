package io.ringfence.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Requests sent on a fixed schedule, as wrk2 does: one scheduler per stream sends request i at {@code start + i / rate}
 * whatever became of the earlier ones, and a request's latency counts from that scheduled time, not from when it
 * was actually sent. A closed loop waits for each answer before the next request, so a slow answer also delays the
 * requests that would have met it, and those go unmeasured (coordinated omission); here a stall shows up in every
 * request scheduled during it, as users sending at that rate would see it.
 *
 * <p>Like wrk2's calibration period, the schedule runs for a lead-in before the measured seconds: requests scheduled
 * in it are sent alike but recorded apart, so the figures describe the rate being served, not the switch from the
 * phase before (new connections and sender threads, code paths the closed-loop phases did not exercise).
 */
final class OpenLoopPhase {

    /** One request of a stream: sends it and records the outcome in {@code stats}, latency from the schedule. */
    interface Request {
        void send(long scheduledNanos, Stats stats) throws Exception;
    }

    /** Requests of one kind, offered at a fixed rate. */
    record Stream(String name, int perSecond, Request request) {
    }

    private OpenLoopPhase() {
    }

    /**
     * Offers every stream at its rate for {@code leadInSeconds} (recorded in {@code leadIn}) and then
     * {@code seconds} (recorded in {@code stats}), then waits (bounded) for the answers still outstanding, which
     * count like any other. With a {@code timeline} (may be null), every request's scheduled send and answer are
     * kept as well. Returns the most any stream's sends fell behind its schedule after the lead-in, in milliseconds.
     */
    static double run(String title, List<Stream> streams, int leadInSeconds, int seconds, int maxInFlight,
                      int progressSeconds, Stats leadIn, Stats stats, Timeline timeline, PrintStream out)
            throws InterruptedException {
        out.printf("%s: %d s of lead-in, then %d s measured (load average %s)%n", title, leadInSeconds, seconds,
                LoadPhase.loadAverage());
        // the queue is unbounded on purpose: when the service falls behind, requests wait here and their wait counts
        ThreadPoolExecutor senders = new ThreadPoolExecutor(maxInFlight, maxInFlight, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "open-loop-sender");
                    t.setDaemon(true);
                    return t;
                });
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong worstLagNanos = new AtomicLong();
        long start = System.nanoTime() + 10_000_000L;
        long measured = start + leadInSeconds * 1_000_000_000L;
        long end = measured + seconds * 1_000_000_000L;
        List<Thread> schedulers = new ArrayList<>();
        leadIn.start();
        stats.startAt(measured);
        for (Stream stream : streams) {
            if (stream.perSecond() <= 0) {
                continue;
            }
            Thread scheduler = new Thread(() -> schedule(stream, start, measured, end, senders, leadIn, stats, timeline,
                    failure, worstLagNanos),
                    "open-loop-" + stream.name());
            scheduler.setDaemon(true);
            schedulers.add(scheduler);
            scheduler.start();
        }
        long lastLine = System.nanoTime();
        while (System.nanoTime() < end && failure.get() == null) {
            Thread.sleep(Math.max(1, Math.min((end - System.nanoTime()) / 1_000_000, progressSeconds * 1000L)));
            long now = System.nanoTime();
            if (now - lastLine >= progressSeconds * 1_000_000_000L - 50_000_000L) {
                out.println((now < measured + 50_000_000L ? leadIn.progress((now - start) / 1e9,
                        (now - lastLine) / 1e9) + " (lead-in)" : stats.progress((now - measured) / 1e9,
                        (now - lastLine) / 1e9)) + String.format(Locale.ROOT, ", queued %d", senders.getQueue().size()));
                lastLine = now;
            }
        }
        for (Thread scheduler : schedulers) {
            scheduler.join(10_000);
        }
        senders.shutdown();
        if (!senders.awaitTermination(120, TimeUnit.SECONDS)) {
            // requests still queued are never sent and count as failed (status -1); those in flight are waited for
            // (each has a 60 s timeout), since a create the service accepted must be known to the invariant checks
            List<Runnable> unsent = new ArrayList<>();
            senders.getQueue().drainTo(unsent);
            for (Runnable r : unsent) {
                if (r instanceof Send send) {
                    stats.failure(send.stream().name(), -1);
                }
            }
            out.printf("  %d requests still queued 120 s after the schedule ended: never sent, counted as failed "
                    + "(status -1)%n", unsent.size());
            senders.awaitTermination(180, TimeUnit.SECONDS);
        }
        leadIn.endAt(measured);
        stats.end();
        out.printf("  done (load average %s)%n", LoadPhase.loadAverage());
        if (failure.get() != null) {
            throw new IllegalStateException(title + ": a request failed: " + failure.get(), failure.get());
        }
        return worstLagNanos.get() / 1e6;
    }

    /**
     * Every request of a run as it was answered: stream, scheduled send and answer in nanoseconds from the measured
     * part's start. It holds them in memory (a 40 s phase at 1,000 requests a second is 40,000 entries) and writes
     * them once the phase is over, so that writing costs the measured seconds nothing.
     */
    static final class Timeline {
        private record Entry(String stream, long scheduledNanos, long answeredNanos) {
        }

        private final ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();

        void answered(String stream, long scheduledNanos, long answeredNanos) {
            entries.add(new Entry(stream, scheduledNanos, answeredNanos));
        }

        int size() {
            return entries.size();
        }

        /** Tab-separated: stream, scheduled ms, answered ms, latency ms; a header line first. */
        void write(Path file) throws IOException {
            try (BufferedWriter w = Files.newBufferedWriter(file)) {
                w.write("stream\tscheduled_ms\tanswered_ms\tlatency_ms\n");
                for (Entry e : entries) {
                    w.write(String.format(Locale.ROOT, "%s\t%.3f\t%.3f\t%.3f%n", e.stream(), e.scheduledNanos() / 1e6,
                            e.answeredNanos() / 1e6, (e.answeredNanos() - e.scheduledNanos()) / 1e6));
                }
            }
        }
    }

    /** One scheduled request, so that those never sent can be counted by stream. */
    private record Send(Stream stream, Runnable body) implements Runnable {
        @Override
        public void run() {
            body.run();
        }
    }

    private static void schedule(Stream stream, long start, long measured, long end, ExecutorService senders,
                                 Stats leadIn, Stats stats, Timeline timeline, AtomicReference<Throwable> failure,
                                 AtomicLong worstLagNanos) {
        double interval = 1e9 / stream.perSecond();
        for (long i = 0; failure.get() == null; i++) {
            long scheduled = start + (long) (i * interval);
            if (scheduled >= end) {
                return;
            }
            long wait;
            while ((wait = scheduled - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            Stats recorded = scheduled < measured ? leadIn : stats;
            if (recorded == stats) {
                worstLagNanos.accumulateAndGet(-wait, Math::max);
            }
            senders.execute(new Send(stream, () -> {
                try {
                    stream.request().send(scheduled, recorded);
                    if (timeline != null) {
                        timeline.answered(stream.name(), scheduled - measured, System.nanoTime() - measured);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
    }
}
