package io.ringfence;

import static io.ringfence.testkit.Fixtures.DEMO_ORG;
import static io.ringfence.testkit.Fixtures.DEMO_PROJECT;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.support.Reservations;
import io.ringfence.testkit.Await;
import io.ringfence.testkit.Fixtures;
import io.ringfence.testkit.RawHttp;
import io.ringfence.testkit.ServiceProcess;
import io.ringfence.testkit.Tokens;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Reservations and claims survive a graceful restart and a {@code kill -9}; after the kill the next start
 * works the first time, and the database runs with fsync and synchronous commit on.
 *
 * <p>A process of its own: it stops, kills ({@code kill -9}) and restarts the service over one data directory.
 */
class ServiceRestartIT {

    @Test
    void reservationsSurviveRestartAndKill() throws Exception {
        try (ServiceProcess service = ServiceProcess.create("restart").fleetResource("fleet/test-fleet.yaml").quickPlatform()) {
            service.start();
            RawHttp api = service.http();
            String token = Tokens.fetch(api.baseUrl(), Fixtures.DEMO_CLIENT);
            String person = Tokens.person(api.baseUrl(), Fixtures.ALICE);
            JsonNode created = Reservations.create(api, token,
                    Reservations.body("survivor", DEMO_ORG, DEMO_PROJECT, "test-restart", 2, List.of()));
            String id = created.get("metadata").get("id").asString();
            String hash = created.get("status").get("topologyHash").asString();
            Reservations.awaitStatus(api, token, id, "provisioned");

            assertThat(service.stop()).isIn(0, 143); // SIGTERM: graceful shutdown
            // the log's writer thread drains its queue as the service stops, and the database stops only after the
            // connection pool has closed: nothing still running finds it gone
            String stopped = Files.readString(service.log().orElseThrow());
            assertThat(stopped).contains("POST /api/v2/reservations 202", "Shutdown completed", "server stopped")
                    .doesNotContain("marked as broken", "Failed to validate connection", "could not reach the work queue");
            assertThat(stopped.indexOf("Shutdown completed")).isLessThan(stopped.indexOf("server stopped"));
            service.start();
            // the signing key persisted, so the token from before the restart is still good
            JsonNode afterRestart = Reservations.awaitStatus(api, token, id, "provisioned");
            // so is a person's token from the authorization-code flow
            assertThat(api.get(person, "/api/v2/reservations/" + id).status()).isEqualTo(200);
            assertThat(afterRestart.get("status").get("topologyHash").asString()).isEqualTo(hash);
            assertThat(Reservations.unit(api, token, "test-restart").get("availableUnitCount").asInt()).isEqualTo(2);
            try (Connection db = service.database()) {
                for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes")) {
                    try (ResultSet rs = db.createStatement().executeQuery("SHOW " + setting)) {
                        rs.next();
                        assertThat(rs.getString(1)).as(setting).isEqualTo("on");
                    }
                }
                // a fresh cluster stores UTF-8 and orders text by code point, whatever the host's locale
                try (ResultSet rs = db.createStatement().executeQuery(
                        "SELECT pg_encoding_to_char(encoding), datcollate FROM pg_database WHERE datname = 'postgres'")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("UTF8");
                    assertThat(rs.getString(2)).isEqualTo("C");
                }
                // a list of 10,000 reservations sorts in memory rather than on disk
                try (ResultSet rs = db.createStatement().executeQuery("SHOW work_mem")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("16MB");
                }
                // and reads a long list in order from an index rather than sorting it
                try (ResultSet rs = db.createStatement().executeQuery("SHOW random_page_cost")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("1.1");
                }
            }

            long postmaster = service.postmasterPid();
            service.kill();
            assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false))
                    .as("postmaster outlives the killed JVM").isTrue();
            service.start();
            JsonNode afterKill = Reservations.awaitStatus(api, token, id, "provisioned");
            assertThat(afterKill.get("status").get("claimedUnitCount").asInt()).isEqualTo(2);
            assertThat(afterKill.get("status").get("topologyHash").asString()).isEqualTo(hash);
            String more = Reservations.create(api, token, Reservations.body("after-kill", DEMO_ORG, DEMO_PROJECT,
                    "test-restart", 2, List.of())).get("metadata").get("id").asString();
            assertThat(Reservations.unit(api, token, "test-restart").get("availableUnitCount").asInt()).isZero();
            Reservations.deleteAndAwaitGone(api, token, more);
            assertThat(Reservations.unit(api, token, "test-restart").get("availableUnitCount").asInt()).isEqualTo(2);
        }
    }

    /**
     * Real short windows across a stop: one reservation's start and another's end pass while the service is down;
     * when it is back, the first starts and the second ends, at once.
     */
    @Test
    void aStartAndAnEndThatPassWhileDownHappenOnTheWayBackUp() throws Exception {
        try (ServiceProcess service = ServiceProcess.create("calendar-restart").fleetResource("fleet/test-fleet.yaml")
                .quickPlatform().property("ringfence.calendar.minimum-window", "2s")) {
            service.start();
            RawHttp api = service.http();
            String token = Tokens.fetch(api.baseUrl(), Fixtures.DEMO_CLIENT);
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            Instant start = now.plusSeconds(8);
            Instant end = now.plusSeconds(8);
            String later = Reservations.create(api, token, windowed(start, start.plusSeconds(3600)))
                    .get("metadata").get("id").asString();
            String ending = Reservations.create(api, token, windowed(null, end)).get("metadata").get("id").asString();
            Reservations.awaitStatus(api, token, ending, "provisioned");
            assertThat(api.get(token, "/api/v2/reservations/" + later).json().get("status").get("claimedUnitCount")
                    .asInt()).isZero();

            assertThat(service.stop()).isIn(0, 143);
            while (Instant.now().isBefore(end.plusSeconds(2))) {
                Thread.sleep(250);
            }
            service.start();
            JsonNode started = Reservations.awaitStatus(api, token, later, "provisioned");
            assertThat(started.get("status").get("claimedUnitCount").asInt()).isEqualTo(1);
            assertThat(started.get("status").get("topologyHash").asString()).startsWith("sha256:");
            Await.until(() -> api.get(token, "/api/v2/reservations/" + ending), r -> r.status() == 404,
                    "the reservation whose end passed while the service was down to be gone");
            Reservations.deleteAndAwaitGone(api, token, later);
        }
    }

    private static String windowed(Instant start, Instant end) {
        return Reservations.body("windowed", DEMO_ORG, DEMO_PROJECT, "test-calendar-time", 1, List.of())
                .replace("\"count\":1", "\"count\":1" + (start == null ? "" : ",\"startTime\":\"" + start + "\"")
                        + ",\"endTime\":\"" + end + "\"");
    }
}
