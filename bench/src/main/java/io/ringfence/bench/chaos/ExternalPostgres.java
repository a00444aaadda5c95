package io.ringfence.bench.chaos;

import io.ringfence.testkit.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the machine's own installation (Debian's {@code /usr/lib/postgresql/<version>/bin}),
 * run by the harness with {@code pg_ctl} so that it can be stopped abruptly under the service: {@code pg_ctl stop
 * -m immediate} (no checkpoint, crash recovery at the next start) or {@code kill -9} of the postmaster. The
 * embedded PostgreSQL of the service cannot serve here: the service owns its life and would restart it itself.
 *
 * <p>PostgreSQL refuses to run as root, so as root every command runs as the {@code postgres} user (runuser).
 */
final class ExternalPostgres implements AutoCloseable {

    private final Path bin;
    private final Path home;
    private final int port;

    private ExternalPostgres(Path bin, Path home, int port) {
        this.bin = bin;
        this.home = home;
        this.port = port;
    }

    /** The newest installed server's bin directory ({@code RINGFENCE_PG_BIN} wins), if there is one. */
    static Optional<Path> installation() {
        String configured = System.getenv("RINGFENCE_PG_BIN");
        if (configured != null) {
            return Optional.of(Path.of(configured)).filter(p -> Files.isExecutable(p.resolve("pg_ctl")));
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
                    .max((a, b) -> Integer.compare(version(a), version(b)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int version(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** A new cluster (trust authentication, user postgres) in a temporary directory, on a free port; not started. */
    static ExternalPostgres create(Path bin) throws IOException {
        Path home = Files.createTempDirectory("ringfence-chaos-pg-");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ExternalPostgres postgres = new ExternalPostgres(bin, home, port);
        if (asRoot()) {
            postgres.run(Duration.ofSeconds(10), "chown", "-R", "postgres:", home.toString());
        }
        postgres.pg(Duration.ofMinutes(2), "initdb", "-D", postgres.data().toString(), "-U", "postgres", "-A", "trust",
                "-E", "UTF8", "--no-instructions");
        return postgres;
    }

    Path data() {
        return home.resolve("data");
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "postgres", "");
    }

    /** Starts the server and waits until it accepts connections (crash recovery included). */
    void start() {
        // the socket directory is the data directory: /var/run/postgresql may not exist or be writable
        pg(Duration.ofMinutes(2), "pg_ctl", "-D", data().toString(), "-w", "-t", "110", "-l",
                home.resolve("postgres.log").toString(), "-o",
                "-p " + port + " -k " + data() + " -c listen_addresses=localhost -c max_connections=100", "start");
    }

    /** {@code pg_ctl stop -m immediate}: every backend ends at once, nothing is checkpointed. */
    void stopImmediately() {
        pg(Duration.ofSeconds(60), "pg_ctl", "-D", data().toString(), "-m", "immediate", "-w", "stop");
    }

    /** {@code kill -9} of the postmaster; waits until its backends have noticed and gone, so it can start again. */
    void killPostmaster() {
        ProcessHandle postmaster = postmasterPid().flatMap(ProcessHandle::of)
                .orElseThrow(() -> new IllegalStateException("PostgreSQL is not running"));
        List<ProcessHandle> backends = postmaster.children().toList();
        postmaster.destroyForcibly();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        // the backends exit when they see the postmaster gone; until then its shared memory is still in use
        while (System.nanoTime() < deadline && (postmaster.isAlive() || backends.stream().anyMatch(ProcessHandle::isAlive))) {
            Await.pause(100);
        }
    }

    Optional<Long> postmasterPid() {
        try {
            Path pidFile = data().resolve("postmaster.pid");
            return Files.exists(pidFile) ? Optional.of(Long.parseLong(Files.readAllLines(pidFile).get(0).trim()))
                    : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        try {
            if (postmasterPid().flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false)) {
                pg(Duration.ofSeconds(60), "pg_ctl", "-D", data().toString(), "-m", "fast", "-w", "stop");
            }
        } catch (RuntimeException e) {
            postmasterPid().flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
        }
        try (Stream<Path> paths = Files.walk(home)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // best effort
        }
    }

    private void pg(Duration patience, String program, String... args) {
        List<String> command = new ArrayList<>();
        if (asRoot()) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(args));
        run(patience, command.toArray(String[]::new));
    }

    private void run(Duration patience, String... command) {
        try {
            Path output = Files.createTempFile("ringfence-chaos-pg-cmd-", ".log");
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
                if (!process.waitFor(patience.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " did not finish within "
                            + patience.toSeconds() + " s");
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue()
                            + "): " + Files.readString(output) + tailOfLog());
                }
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String tailOfLog() {
        try {
            List<String> lines = Files.readAllLines(home.resolve("postgres.log"));
            return "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
