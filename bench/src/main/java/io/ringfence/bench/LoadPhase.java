package io.ringfence.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/** Runs N client threads for a fixed time, printing a progress line every few seconds. */
final class LoadPhase {

    /** One client's loop body: performs one operation and records it. */
    interface Client {
        void step() throws Exception;
    }

    private LoadPhase() {
    }

    /** The 1-minute load average of the machine: other work on it disturbs the figures. */
    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException e) {
            return "?";
        }
    }

    static void run(String title, int clients, int seconds, int progressSeconds, Stats stats,
                    IntFunction<Client> clientFactory, PrintStream out) throws InterruptedException {
        out.printf("%s: %d clients for %d s (load average %s)%n", title, clients, seconds, loadAverage());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        stats.start();
        for (int i = 0; i < clients; i++) {
            LoadPhase.Client client = clientFactory.apply(i);
            Thread thread = new Thread(() -> {
                try {
                    while (System.nanoTime() < deadline && failure.get() == null) {
                        client.step();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "load-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        long started = System.nanoTime();
        long lastLine = started;
        while (System.nanoTime() < deadline && failure.get() == null) {
            long sleep = Math.min(deadline - System.nanoTime(), lastLine + progressSeconds * 1_000_000_000L - System.nanoTime());
            if (sleep > 0) {
                Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            }
            long now = System.nanoTime();
            if (now - lastLine >= progressSeconds * 1_000_000_000L - 50_000_000L) {
                out.println(stats.progress((now - started) / 1e9, (now - lastLine) / 1e9));
                lastLine = now;
            }
        }
        for (Thread thread : threads) {
            thread.join(120_000);
        }
        stats.end();
        out.printf("  done (load average %s)%n", loadAverage());
        if (failure.get() != null) {
            throw new IllegalStateException(title + ": a client failed: " + failure.get(), failure.get());
        }
    }
}
