package io.ringfence;

import static io.ringfence.support.ApiClient.DEMO_ORG;
import static io.ringfence.support.ApiClient.DEMO_PROJECT;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.support.ApiClient;
import io.ringfence.support.Reservations;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import tools.jackson.databind.JsonNode;

/**
 * The packaged service as an operator runs it: the built jar in its own JVM with the embedded defaults.
 * Reservations and claims survive a graceful restart and a {@code kill -9}; after the kill the next start
 * works the first time, and the database runs with fsync and synchronous commit on.
 */
class ServiceRestartIT {

    private final List<Process> processes = new ArrayList<>();
    private Path dataDir;

    @Test
    void reservationsSurviveRestartAndKill() throws Exception {
        dataDir = Files.createTempDirectory("ringfence-restart");
        Path manifest = dataDir.resolve("fleet.yaml");
        try (InputStream in = new ClassPathResource("fleet/test-fleet.yaml").getInputStream()) {
            Files.copy(in, manifest);
        }
        int port = freePort();
        ApiClient api = new ApiClient("http://localhost:" + port);

        Process first = start(port, manifest);
        String token = api.fetchToken("ringfence-demo", "ringfence-demo-secret");
        JsonNode created = Reservations.create(api, token,
                Reservations.body("survivor", DEMO_ORG, DEMO_PROJECT, "test-restart", 2, List.of()));
        String id = created.get("metadata").get("id").asString();
        String hash = created.get("status").get("topologyHash").asString();
        Reservations.awaitStatus(api, token, id, "provisioned");

        first.destroy(); // SIGTERM: graceful shutdown
        assertThat(first.waitFor()).isIn(0, 143);

        start(port, manifest);
        // the signing key persisted, so the token from before the restart is still good
        JsonNode afterRestart = Reservations.awaitStatus(api, token, id, "provisioned");
        assertThat(afterRestart.get("status").get("topologyHash").asString()).isEqualTo(hash);
        assertThat(Reservations.unit(api, token, "test-restart").get("availableUnitCount").asInt()).isEqualTo(2);
        assertDurable(dataDir);

        Process second = processes.get(processes.size() - 1);
        long postmaster = postmasterPid(dataDir);
        second.destroyForcibly(); // SIGKILL: the embedded PostgreSQL is orphaned
        second.waitFor();
        assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false))
                .as("postmaster outlives the killed JVM").isTrue();

        start(port, manifest);
        JsonNode afterKill = Reservations.awaitStatus(api, token, id, "provisioned");
        assertThat(afterKill.get("status").get("claimedUnitCount").asInt()).isEqualTo(2);
        assertThat(afterKill.get("status").get("topologyHash").asString()).isEqualTo(hash);
        String more = Reservations.create(api, token, Reservations.body("after-kill", DEMO_ORG, DEMO_PROJECT,
                "test-restart", 2, List.of())).get("metadata").get("id").asString();
        assertThat(Reservations.unit(api, token, "test-restart").get("availableUnitCount").asInt()).isZero();
        Reservations.deleteAndAwaitGone(api, token, more);
        assertThat(Reservations.unit(api, token, "test-restart").get("availableUnitCount").asInt()).isEqualTo(2);
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (Process process : processes) {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
        if (dataDir != null && Files.exists(dataDir.resolve("postgres/postmaster.pid"))) {
            long pid = postmasterPid(dataDir);
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        }
        if (dataDir != null) {
            org.springframework.util.FileSystemUtils.deleteRecursively(dataDir);
        }
    }

    private Process start(int port, Path manifest) throws Exception {
        String jar = System.getProperty("ringfence.jar", "target/ringfence.jar");
        Path log = dataDir.resolve("service-" + processes.size() + ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of(jar).toAbsolutePath().toString(),
                "--ringfence.provider.simulated.prepare-unit=20ms",
                "--ringfence.provider.simulated.release-unit=20ms");
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        builder.environment().put("RINGFENCE_DATA_DIR", dataDir.toString());
        builder.environment().put("RINGFENCE_FLEET_MANIFEST", manifest.toString());
        Process process = builder
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .directory(dataDir.toFile())
                .start();
        processes.add(process);
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        ApiClient api = new ApiClient("http://localhost:" + port);
        while (true) {
            assertThat(process.isAlive()).as("service exited; see %s", log).isTrue();
            try {
                if (api.get(null, "/actuator/health").status() == 200) {
                    return process;
                }
            } catch (IllegalStateException notYetListening) {
                // connection refused while starting
            }
            assertThat(System.nanoTime()).as("service ready in time; see %s", log).isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    private static void assertDurable(Path dataDir) throws Exception {
        int port = Integer.parseInt(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(3).trim());
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres",
                "postgres", "")) {
            for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes")) {
                try (ResultSet rs = connection.createStatement().executeQuery("SHOW " + setting)) {
                    rs.next();
                    assertThat(rs.getString(1)).as(setting).isEqualTo("on");
                }
            }
        }
    }

    private static long postmasterPid(Path dataDir) throws IOException {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(0).trim());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
