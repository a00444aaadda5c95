package io.ringfence.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The packaged service as an operator runs it: {@code java -jar ringfence.jar} in a JVM of its own, with a home
 * directory of its own (a private copy of the jar, the data directory, one log file per start) and a port fixed
 * for its whole life, so that URLs and tokens stay good across restarts.
 *
 * <p>Configure, then {@link #start()}; {@link #stop()} (SIGTERM), {@link #kill()} (SIGKILL, the embedded
 * PostgreSQL is left running as after a real crash) and {@link #restart()} may follow in any order, with
 * settings changed in between. {@link #close()} stops everything it started, the embedded PostgreSQL included,
 * and deletes the home directory. A JVM shutdown hook does the same when the caller never gets to close it.
 *
 * <p>{@link #shared()} is one service per JVM for tests that need nothing but a running service.
 */
public final class ServiceProcess implements AutoCloseable {

    /** The service jar: {@code -Dringfence.jar}, else the server module's build output. */
    public static Path defaultJar() {
        String configured = System.getProperty("ringfence.jar");
        if (configured != null) {
            return Path.of(configured);
        }
        Path sibling = Path.of("..", "server", "target", "ringfence.jar");
        return Files.isRegularFile(sibling) ? sibling : Path.of("target", "ringfence.jar");
    }

    /**
     * JVM options for a service under test: a small heap, and the client compiler with the serial collector, which
     * start a short-lived service about a quarter faster on two cores. Measurements replace them
     * ({@link #jvmOptions(String...)}).
     */
    public static final List<String> TEST_JVM_OPTIONS =
            List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private static ServiceProcess shared;

    private final Path home;
    private final int port;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final List<String> arguments = new ArrayList<>();
    private final List<String> jvmOptions = new ArrayList<>(TEST_JVM_OPTIONS);
    private final List<Process> started = new ArrayList<>();
    private Path jar = defaultJar();
    private boolean keepFiles = System.getenv("RINGFENCE_KEEP_SERVICE_FILES") != null;
    private Process process;
    private Thread shutdownHook;

    private ServiceProcess(Path home, int port) {
        this.home = home;
        this.port = port;
        environment.put("SERVER_PORT", Integer.toString(port));
        environment.put("RINGFENCE_DATA_DIR", dataDir().toString());
    }

    /** A service in a new temporary home directory ({@code name} is part of its name) on a free port. */
    public static ServiceProcess create(String name) {
        try {
            return new ServiceProcess(Files.createTempDirectory("ringfence-" + name + "-"), freePort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The service shared by every test of this JVM that needs only a running service: the demo fleet, a quick
     * simulated platform, started on first use and stopped when the JVM exits. Tests that restart, kill,
     * replicate or reconfigure a service start their own.
     */
    public static synchronized ServiceProcess shared() {
        if (shared == null) {
            shared = create("shared").quickPlatform().start();
        }
        return shared;
    }

    // ---------------------------------------------------------------- configuration (applies from the next start)

    /** The jar to run (a private copy is made at the first start). */
    public ServiceProcess jar(Path jar) {
        this.jar = jar;
        return this;
    }

    /** An environment variable of the service. */
    public ServiceProcess env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** A Spring property, given on the command line (it wins over every other source). */
    public ServiceProcess property(String name, String value) {
        properties.put(name, value);
        return this;
    }

    /** Further command-line arguments, as given. */
    public ServiceProcess arguments(List<String> more) {
        arguments.addAll(more);
        return this;
    }

    /** JVM options of the service, replacing {@link #TEST_JVM_OPTIONS}. */
    public ServiceProcess jvmOptions(String... options) {
        jvmOptions.clear();
        jvmOptions.addAll(List.of(options));
        return this;
    }

    /** The fleet manifest file to load (else the service's demo fleet). */
    public ServiceProcess fleet(Path manifest) {
        environment.put("RINGFENCE_FLEET_MANIFEST", manifest.toAbsolutePath().toString());
        return this;
    }

    /** A fleet manifest from the caller's class path, copied into the home directory. */
    public ServiceProcess fleetResource(String resource) {
        Path manifest = home.resolve("fleet.yaml");
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no " + resource + " on the class path");
            }
            Files.copy(in, manifest, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fleet(manifest);
    }

    /**
     * A simulated platform fast enough for tests: units prepared and released in 20 ms, servers booted in
     * 300 ms, power operations in 200 ms, host health polled every 500 ms.
     */
    public ServiceProcess quickPlatform() {
        return property("ringfence.provider.simulated.prepare-unit", "20ms")
                .property("ringfence.provider.simulated.release-unit", "20ms")
                .property("ringfence.provider.simulated.server-boot", "300ms")
                .property("ringfence.provider.simulated.power-operation", "200ms")
                .property("ringfence.health.poll-interval", "500ms");
    }

    /** Keep the home directory (data, logs) after {@link #close()}; also set by RINGFENCE_KEEP_SERVICE_FILES. */
    public ServiceProcess keepFiles(boolean keep) {
        this.keepFiles = keep;
        return this;
    }

    // ---------------------------------------------------------------- life cycle

    /** Starts the service and waits (at most 3 minutes) until {@code /actuator/health} is UP. */
    public ServiceProcess start() {
        start(Duration.ofMinutes(3));
        return this;
    }

    /** Starts the service and waits until it is UP; returns the time from launch to the first UP. */
    public Duration start(Duration patience) {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the service is running already (pid " + process.pid() + ")");
        }
        try {
            Path copy = home.resolve("service.jar");
            if (!Files.exists(copy)) {
                if (!Files.isRegularFile(jar)) {
                    throw new IllegalStateException("the service jar " + jar.toAbsolutePath().normalize()
                            + " does not exist: build it first (./mvnw -pl server -am -DskipTests package)");
                }
                // a private copy: a rebuild of the jar while the service runs would break its class loading
                Files.copy(jar, copy);
            }
            Files.createDirectories(dataDir());
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.add("-jar");
            command.add(copy.toString());
            properties.forEach((name, value) -> command.add("--" + name + "=" + value));
            command.addAll(arguments);
            Path log = home.resolve("service-" + started.size() + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).directory(home.toFile());
            builder.environment().putAll(environment);
            if (!environment.containsKey("RINGFENCE_FLEET_MANIFEST")) {
                builder.environment().remove("RINGFENCE_FLEET_MANIFEST");
            }
            long launched = System.nanoTime();
            process = builder.start();
            started.add(process);
            addShutdownHook();
            awaitHealthy(launched, patience);
            return Duration.ofNanos(System.nanoTime() - launched);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitHealthy(long launched, Duration patience) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(url() + "/actuator/health"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = launched + patience.toNanos();
        while (true) {
            if (!process.isAlive() || log().map(ServiceProcess::mainThreadDied).orElse(false)) {
                throw new IllegalStateException("the service failed before it was ready; last lines of "
                        + log().orElseThrow() + ":\n" + tail(40));
            }
            try {
                HttpResponse<String> answer = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200 && answer.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the service was not ready within " + patience.toSeconds()
                        + " s; last lines of " + log().orElseThrow() + ":\n" + tail(40));
            }
            Await.pause(100);
        }
    }

    private static boolean mainThreadDied(Path log) {
        try {
            return Files.readString(log).contains("Exception in thread \"main\"");
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGTERM, and waits (a minute, then SIGKILL) for the exit; returns the exit code. */
    public int stop() {
        if (process == null) {
            return 0;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL: no shutdown of any kind; the embedded PostgreSQL is left running, as after a crash. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@link #stop()}, then {@link #start()}. */
    public ServiceProcess restart() {
        stop();
        return start();
    }

    // ---------------------------------------------------------------- what tests look at

    public String url() {
        return "http://localhost:" + port;
    }

    public int port() {
        return port;
    }

    /** Where the jar copy, the logs and the data directory live. */
    public Path home() {
        return home;
    }

    /** RINGFENCE_DATA_DIR: the embedded PostgreSQL, signing keys, the simulated platform's journal. */
    public Path dataDir() {
        return home.resolve("data");
    }

    /** Plain HTTP to this service. */
    public RawHttp http() {
        return new RawHttp(url());
    }

    /** The generated client, with a demo client's token. */
    public Clients.Ringfence client(Fixtures.Client client) {
        return Clients.connect(url(), Tokens.of(url(), client));
    }

    public long pid() {
        return process.pid();
    }

    /** The log of the current (or last) start. */
    public Optional<Path> log() {
        return started.isEmpty() ? Optional.empty() : Optional.of(home.resolve("service-" + (started.size() - 1) + ".log"));
    }

    /** Every line every start of this service logged, in order. */
    public List<String> logLines() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < started.size(); i++) {
            try {
                lines.addAll(Files.readAllLines(home.resolve("service-" + i + ".log")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return lines;
    }

    /** The last lines of the current log. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log().orElseThrow());
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Resident set size of the service process (MiB), from /proc; NaN elsewhere. */
    public double rssMiB() {
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

    /** The embedded PostgreSQL's postmaster PID, from its lock file. */
    public long postmasterPid() {
        return Long.parseLong(postmasterLine(0));
    }

    /** A JDBC URL for the embedded PostgreSQL (trust authentication as user postgres). */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postmasterLine(3) + "/postgres";
    }

    /** A connection to the embedded PostgreSQL; the caller closes it. */
    public Connection database() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "postgres", "");
    }

    private String postmasterLine(int index) {
        try {
            return Files.readAllLines(dataDir().resolve("postgres").resolve("postmaster.pid")).get(index).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("the embedded PostgreSQL is not running", e);
        }
    }

    // ---------------------------------------------------------------- cleaning up

    @Override
    public void close() {
        stopEverything();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException exiting) {
                // the JVM is shutting down already
            }
            shutdownHook = null;
        }
        if (!keepFiles) {
            deleteTree(home);
        }
    }

    private void stopEverything() {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroy();
                try {
                    if (!p.waitFor(30, TimeUnit.SECONDS)) {
                        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        stopOrphanedPostmaster();
    }

    /** A postmaster a killed service left behind: SIGTERM (smart shutdown), SIGKILL after 15 s. */
    private void stopOrphanedPostmaster() {
        Path pidFile = dataDir().resolve("postgres").resolve("postmaster.pid");
        Optional<ProcessHandle> postmaster;
        try {
            if (!Files.isReadable(pidFile)) {
                return;
            }
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            postmaster = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(true));
        } catch (IOException | RuntimeException e) {
            return;
        }
        postmaster.ifPresent(handle -> {
            handle.destroy();
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (handle.isAlive() && System.nanoTime() < deadline) {
                Await.pause(100);
            }
            if (handle.isAlive()) {
                handle.destroyForcibly();
            }
        });
    }

    private void addShutdownHook() {
        if (shutdownHook == null) {
            // stop the service and its PostgreSQL also when the JVM ends without close() (Ctrl-C, a shared service)
            shutdownHook = new Thread(() -> {
                stopEverything();
                if (!keepFiles) {
                    deleteTree(home);
                }
            }, "stop-ringfence-service");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
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
        } catch (IOException | UncheckedIOException ignored) {
            // best effort
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
