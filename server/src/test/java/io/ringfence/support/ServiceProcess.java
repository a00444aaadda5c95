package io.ringfence.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.FileSystemUtils;

/**
 * The packaged service as an operator runs it: {@code java -jar ringfence.jar} in a JVM of its own, with a data
 * directory and port of its own. Used by the tests that restart, kill or replicate the service.
 */
public final class ServiceProcess implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final List<Process> started = new ArrayList<>();
    private Process process;

    public ServiceProcess(Path dataDir) throws IOException {
        this.dataDir = dataDir;
        this.port = freePort();
        Files.createDirectories(dataDir);
        Path manifest = dataDir.resolve("fleet.yaml");
        if (!Files.exists(manifest)) {
            try (InputStream in = new ClassPathResource("fleet/test-fleet.yaml").getInputStream()) {
                Files.copy(in, manifest);
            }
        }
        environment.put("SERVER_PORT", Integer.toString(port));
        environment.put("RINGFENCE_DATA_DIR", dataDir.toString());
        environment.put("RINGFENCE_FLEET_MANIFEST", manifest.toString());
        properties.put("ringfence.provider.simulated.prepare-unit", "20ms");
        properties.put("ringfence.provider.simulated.release-unit", "20ms");
        properties.put("ringfence.health.poll-interval", "500ms");
    }

    public ServiceProcess env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** A Spring property given on the command line for the next start. */
    public ServiceProcess property(String name, String value) {
        properties.put(name, value);
        return this;
    }

    public ApiClient api() {
        return new ApiClient("http://localhost:" + port);
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Starts the jar and waits until {@code /actuator/health} is UP. */
    public ServiceProcess start() throws Exception {
        String jar = System.getProperty("ringfence.jar", "target/ringfence.jar");
        Path log = dataDir.resolve("service-" + started.size() + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", Path.of(jar).toAbsolutePath().toString()));
        properties.forEach((name, value) -> command.add("--" + name + "=" + value));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .directory(dataDir.toFile());
        builder.environment().putAll(environment);
        process = builder.start();
        started.add(process);
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        ApiClient api = api();
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("service exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (api.get(null, "/actuator/health").status() == 200) {
                    return this;
                }
            } catch (IllegalStateException notYetListening) {
                // connection refused while starting
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("service not ready in time; see " + log);
            }
            Thread.sleep(200);
        }
    }

    /** SIGTERM, and wait for a graceful exit. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return process.waitFor();
    }

    /** SIGKILL: no shutdown of any kind; the embedded PostgreSQL is left running. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** The embedded PostgreSQL's postmaster PID, from its lock file. */
    public long postmasterPid() throws IOException {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(0).trim());
    }

    /** A JDBC URL for the embedded PostgreSQL of this service (trust authentication as user postgres). */
    public String jdbcUrl() throws IOException {
        int pgPort = Integer.parseInt(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(3).trim());
        return "jdbc:postgresql://localhost:" + pgPort + "/postgres";
    }

    public Connection database() throws IOException, SQLException {
        return DriverManager.getConnection(jdbcUrl(), "postgres", "");
    }

    @Override
    public void close() throws Exception {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroy();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
        if (Files.exists(dataDir.resolve("postgres/postmaster.pid"))) {
            long pid = postmasterPid();
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
            ProcessHandle.of(pid).ifPresent(h -> h.onExit().orTimeout(20, TimeUnit.SECONDS).exceptionally(e -> h).join());
        }
        FileSystemUtils.deleteRecursively(dataDir);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
