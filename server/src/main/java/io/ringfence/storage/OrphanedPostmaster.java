package io.ringfence.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a {@code kill -9} of the JVM, the embedded postmaster it started keeps running and holds the data
 * directory, so the next start would fail. This stops such an orphan (fast shutdown, then a kill if it
 * lingers) before the embedded PostgreSQL starts again.
 */
final class OrphanedPostmaster {

    private static final Logger log = LoggerFactory.getLogger(OrphanedPostmaster.class);

    private OrphanedPostmaster() {
    }

    static void stopIfRunning(Path dataDirectory, Duration patience) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.isReadable(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return;
        }
        if (!isPostmasterOf(pid, dataDirectory)) {
            // a stale pid file whose number now belongs to another process: never signal what is not proven ours
            log.warn("postmaster.pid on {} names pid {}, which is not this data directory's PostgreSQL; leaving it "
                    + "alone", dataDirectory, pid);
            return;
        }
        log.warn("Stopping PostgreSQL (pid {}) left running on {} by an earlier run that did not shut down",
                pid, dataDirectory);
        ProcessHandle postmaster = process.get();
        signal(pid, "INT"); // fast shutdown: rolls back open transactions, writes a checkpoint
        if (!waitForExit(postmaster, patience)) {
            postmaster.destroyForcibly();
            waitForExit(postmaster, Duration.ofSeconds(5));
        }
    }

    /**
     * Whether {@code pid} is a PostgreSQL server started on {@code dataDirectory}: its command is {@code postgres}
     * and its arguments name the directory ({@code -D <dir>}). A command line that cannot be read proves nothing.
     */
    static boolean isPostmasterOf(long pid, Path dataDirectory) {
        List<String> argv;
        try {
            byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            argv = List.of(new String(cmdline, java.nio.charset.StandardCharsets.UTF_8).split("\u0000"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
        if (argv.isEmpty() || !Path.of(argv.get(0)).getFileName().toString().startsWith("postgres")) {
            return false;
        }
        Path wanted = dataDirectory.toAbsolutePath().normalize();
        for (int i = 0; i + 1 < argv.size(); i++) {
            if (argv.get(i).equals("-D") && Path.of(argv.get(i + 1)).toAbsolutePath().normalize().equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    private static void signal(long pid, String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
        } catch (IOException e) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean waitForExit(ProcessHandle process, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (process.isAlive() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !process.isAlive();
            }
        }
        return !process.isAlive();
    }
}
