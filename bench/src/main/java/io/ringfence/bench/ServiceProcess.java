package io.ringfence.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One Ringfence service started from its jar, as a separate process: a fresh temporary data directory, a free
 * port, readiness by {@code /actuator/health}. {@link #close()} stops it (SIGTERM, then kill), stops an
 * orphaned postmaster, and deletes the temporary directory unless told to keep it.
 */
final class ServiceProcess implements AutoCloseable {

    private final Path home;
    private final boolean ownsHome;
    private final Path jar;
    private final List<String> args;
    private final Path manifest;
    private Process process;
    private int port;
    private Duration readyAfter;
    private Thread shutdownHook;

    private ServiceProcess(Path jar, Path home, boolean ownsHome, Path manifest, List<String> args) {
        this.jar = jar;
        this.home = home;
        this.ownsHome = ownsHome;
        this.manifest = manifest;
        this.args = args;
    }

    /** A service in a new temporary directory; {@code manifest} may be null for the demo fleet. */
    static ServiceProcess create(Path jar, Path manifest, List<String> args) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the service jar " + jar.toAbsolutePath() + " does not exist: build it with "
                    + "'./mvnw -q -DskipTests package' from the repository root (bench/run does this by itself)");
        }
        return new ServiceProcess(jar, Files.createTempDirectory("ringfence-bench-"), true, manifest, args);
    }

    Path dataDir() {
        return home.resolve("data");
    }

    Path log() {
        return home.resolve("service.log");
    }

    /** Starts the process and waits until it answers UP; returns the time from launch to the first UP. */
    Duration start(Duration patience) throws IOException, InterruptedException {
        if (port == 0) {
            port = freePort();
        }
        // run a private copy: a rebuild of the jar while the service runs would break its class loading
        Path copy = home.resolve("service.jar");
        if (!Files.exists(copy)) {
            Files.copy(jar, copy);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(copy.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        builder.environment().put("RINGFENCE_DATA_DIR", dataDir().toString());
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        if (manifest != null) {
            builder.environment().put("RINGFENCE_FLEET_MANIFEST", manifest.toAbsolutePath().toString());
        } else {
            builder.environment().remove("RINGFENCE_FLEET_MANIFEST");
        }
        long launched = System.nanoTime();
        process = builder.start();
        if (shutdownHook == null) {
            // stop the service and its PostgreSQL also when the tool is interrupted (Ctrl-C, SIGTERM)
            shutdownHook = new Thread(() -> {
                try {
                    stop();
                } catch (InterruptedException ignored) {
                    // exiting anyway
                }
            }, "stop-ringfence-service");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(url() + "/actuator/health"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = launched + patience.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive() || mainThreadDied()) {
                throw new IllegalStateException("the service failed before it was ready; last lines of " + log()
                        + ":\n" + tail(40));
            }
            try {
                HttpResponse<String> answer = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200 && answer.body().contains("\"UP\"")) {
                    readyAfter = Duration.ofNanos(System.nanoTime() - launched);
                    return readyAfter;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the service was not ready within " + patience.toSeconds()
                + " s; last lines of " + log() + ":\n" + tail(40));
    }

    private boolean mainThreadDied() {
        try {
            return Files.exists(log()) && Files.readString(log()).contains("Exception in thread \"main\"");
        } catch (IOException e) {
            return false;
        }
    }

    String url() {
        return "http://localhost:" + port;
    }

    long pid() {
        return process.pid();
    }

    /** Resident set size of the service process (MiB), from /proc. */
    double rssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /** The embedded PostgreSQL's JDBC URL, from the 4th line (the port) of its postmaster.pid. */
    String jdbcUrl() throws IOException {
        List<String> lines = Files.readAllLines(dataDir().resolve("postgres").resolve("postmaster.pid"));
        return "jdbc:postgresql://localhost:" + lines.get(3).trim() + "/postgres";
    }

    /** SIGTERM, then kill after a grace period; then any postmaster left behind. Keeps the data directory. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
        stopOrphanedPostmaster();
    }

    private void stopOrphanedPostmaster() throws InterruptedException {
        Path pidFile = dataDir().resolve("postgres").resolve("postmaster.pid");
        Optional<ProcessHandle> postmaster = Optional.empty();
        try {
            if (Files.isReadable(pidFile)) {
                long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
                postmaster = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                        .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(true));
            }
        } catch (IOException | RuntimeException e) {
            return;
        }
        if (postmaster.isPresent()) {
            ProcessHandle handle = postmaster.get();
            handle.destroy(); // SIGTERM: smart shutdown
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (handle.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            if (handle.isAlive()) {
                handle.destroyForcibly();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            stop();
            if (shutdownHook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException exiting) {
                    // already shutting down
                }
            }
        } finally {
            if (ownsHome && System.getenv("RINGFENCE_BENCH_KEEP") == null) {
                deleteTree(home);
            }
        }
    }

    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log());
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
