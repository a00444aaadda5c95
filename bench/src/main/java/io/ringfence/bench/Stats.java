package io.ringfence.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies and outcomes per operation of one phase. Latencies of successful calls go into HdrHistograms
 * (microsecond resolution, 3 significant digits); failures are counted by HTTP status (-1: I/O error). A 507
 * (the fleet has no room) is a refusal: the service answered as it should, so it is reported on its own, apart
 * from both successes and errors.
 */
final class Stats {

    /** The answer to a create when the fleet has no room left for it. */
    static final int REFUSED = 507;

    static final class Op {
        final String name;
        final Recorder recorder = new Recorder(3);
        final Histogram total = new Histogram(3);
        final LongAdder ok = new LongAdder();
        final ConcurrentMap<Integer, LongAdder> errors = new ConcurrentHashMap<>();
        long lastOk;

        Op(String name) {
            this.name = name;
        }

        synchronized void drain() {
            total.add(recorder.getIntervalHistogram());
        }
    }

    private final Map<String, Op> ops = new LinkedHashMap<>();
    private long startNanos;
    private long endNanos;

    Stats(String... names) {
        for (String name : names) {
            ops.put(name, new Op(name));
        }
    }

    void start() {
        startAt(System.nanoTime());
    }

    /** The phase's measured time starts at {@code nanos} ({@link System#nanoTime}), now or later. */
    void startAt(long nanos) {
        startNanos = nanos;
    }

    void end() {
        endAt(System.nanoTime());
    }

    /** The phase's measured time ended at {@code nanos}; everything recorded until now counts. */
    void endAt(long nanos) {
        endNanos = nanos;
        ops.values().forEach(Op::drain);
    }

    double seconds() {
        return (endNanos - startNanos) / 1e9;
    }

    Op op(String name) {
        return ops.get(name);
    }

    void success(String name, long nanos) {
        Op op = ops.get(name);
        op.recorder.recordValue(Math.max(1, nanos / 1000));
        op.ok.increment();
    }

    void failure(String name, int status) {
        ops.get(name).errors.computeIfAbsent(status, k -> new LongAdder()).increment();
    }

    long ok(String name) {
        return ops.get(name).ok.sum();
    }

    /** Failed calls, refusals included. */
    long errors(String name) {
        return ops.get(name).errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Calls answered 507: no room in the fleet. */
    long refused(String name) {
        LongAdder refused = ops.get(name).errors.get(REFUSED);
        return refused == null ? 0 : refused.sum();
    }

    /** Failed calls by status, refusals left out. */
    Map<Integer, Long> errorsByStatus(String name) {
        Map<Integer, Long> result = new TreeMap<>();
        ops.get(name).errors.forEach((status, count) -> {
            if (status != REFUSED) {
                result.put(status, count.sum());
            }
        });
        return result;
    }

    double throughput(String name) {
        return ok(name) / seconds();
    }

    /** Percentile of successful calls in milliseconds. */
    double millis(String name, double percentile) {
        Histogram h = ops.get(name).total;
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }

    double maxMillis(String name) {
        Histogram h = ops.get(name).total;
        return h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue() / 1000.0;
    }

    /** One progress line: per operation, calls per second since the last line, and errors so far. */
    String progress(double elapsedSeconds, double intervalSeconds) {
        List<String> parts = new ArrayList<>();
        for (Op op : ops.values()) {
            long now = op.ok.sum();
            double rate = (now - op.lastOk) / intervalSeconds;
            op.lastOk = now;
            op.drain();
            long refused = refused(op.name);
            long errors = errors(op.name) - refused;
            if (now == 0 && errors == 0 && refused == 0) {
                continue;
            }
            parts.add(String.format(Locale.ROOT, "%s %.0f/s%s%s", op.name, rate,
                    refused == 0 ? "" : " (" + refused + " refused)", errors == 0 ? "" : " (" + errors + " err)"));
        }
        return String.format(Locale.ROOT, "  %5.0fs  %s", elapsedSeconds, String.join(", ", parts));
    }

    /** The per-operation table of this phase. */
    String table(String title) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s (%.1f s)%n", title, seconds()));
        out.append(String.format(Locale.ROOT, "  %-8s %10s %10s %9s %9s %9s %9s %12s  %s%n",
                "op", "ok", "ops/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "refused 507", "errors by status"));
        for (Op op : ops.values()) {
            if (op.ok.sum() == 0 && errors(op.name) == 0) {
                continue;
            }
            out.append(String.format(Locale.ROOT, "  %-8s %10d %10.1f %9.2f %9.2f %9.2f %9.2f %12d  %s%n", op.name,
                    ok(op.name), throughput(op.name), millis(op.name, 50), millis(op.name, 95), millis(op.name, 99),
                    maxMillis(op.name), refused(op.name),
                    errorsByStatus(op.name).isEmpty() ? "none" : errorsByStatus(op.name)));
        }
        return out.toString();
    }
}
