package io.ringfence;

import static io.ringfence.testkit.Fixtures.DEMO_ORG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringfence.testkit.Fixtures;
import io.ringfence.testkit.RawHttp;
import io.ringfence.testkit.ServiceProcess;
import io.ringfence.testkit.Tokens;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.util.FileSystemUtils;

/**
 * Ringfence over an external PostgreSQL, as the Kubernetes manifests run it: the demo identities are off. With
 * neither a clients file nor an external issuer it starts, says that nobody can sign in, and refuses every demo
 * client (401 {@code invalid_client}) and every demo person; with the operator's clients file (bcrypt hashes) and
 * access file, the operator's client gets a token and the role its binding gives, and the demo ones still do not.
 *
 * <p>A process of its own: which identities exist is decided when the service starts, from whether it runs its
 * embedded PostgreSQL; the in-process tests share one context on the embedded database (demo identities on, which
 * they rely on), so this test runs the packaged jar against a PostgreSQL it starts itself, restarts it with a
 * clients file, and reads its log.
 */
class ExternalDatabaseIdentitiesIT {

    /** bcrypt cost of the test client's secret: the cost the README recommends for client secrets. */
    private static final int CLIENT_COST = 6;

    @Test
    void withAnExternalDatabaseOnlyTheOperatorsIdentitiesSignIn() throws Exception {
        Path pgDir = Files.createTempDirectory("ringfence-identities-pg");
        int pgPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            pgPort = socket.getLocalPort();
        }
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(pgDir).setCleanDataDirectory(false)
                .setPort(pgPort).setPGStartupWait(Duration.ofSeconds(60)).start();
        try (ServiceProcess service = ServiceProcess.create("external-identities")
                .fleetResource("fleet/test-fleet.yaml").quickPlatform()) {
            // every demo identity is tried and refused here on purpose: the throttle of failed sign-ins (tested on its
            // own) must not answer 429 in their place
            service.env("SPRING_DATASOURCE_URL", "jdbc:postgresql://localhost:" + pgPort + "/postgres")
                    .env("SPRING_DATASOURCE_USERNAME", "postgres").env("SPRING_DATASOURCE_PASSWORD", "")
                    .property("ringfence.identity.throttle.max-failures-per-client", "1000")
                    .property("ringfence.identity.throttle.max-failures-per-user", "1000")
                    .property("ringfence.identity.throttle.max-failures-per-address", "10000")
                    .start();
            String url = service.url();

            // neither a clients file nor an external issuer: up, nobody signs in, and the log says so
            RawHttp.Response health = service.http().get(null, "/actuator/health");
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.text()).contains("\"UP\"");
            assertThat(service.logLines()).anyMatch(line -> line.contains("Nobody can sign in"));
            assertThat(service.logLines()).noneMatch(line -> line.contains("demo identities are on"));
            assertDemoIdentitiesRefused(url);

            // the operator's clients file and role bindings
            String secret = "ci-" + java.util.UUID.randomUUID();
            Path clients = service.home().resolve("clients.yaml");
            Files.writeString(clients, """
                    # client secrets and passwords as bcrypt hashes only
                    clients:
                      - id: ci-pipeline
                        secret-hash: "%s"
                    people:
                      - username: frank
                        password-hash: "%s"
                    """.formatted(new BCryptPasswordEncoder(CLIENT_COST).encode(secret),
                    new BCryptPasswordEncoder(10).encode("frank-passphrase-42")));
            Path access = service.home().resolve("access.yaml");
            Files.writeString(access, """
                    bindings:
                      - {subject: ci-pipeline, role: administrator, organizationId: %s}
                    """.formatted(DEMO_ORG));
            service.env("RINGFENCE_CLIENTS_FILE", clients.toString())
                    .env("RINGFENCE_ACCESS_FILE", access.toString()).restart();

            RawHttp.Response issued = Tokens.request(url, "ci-pipeline", secret);
            assertThat(issued.status()).as(issued.toString()).isEqualTo(200);
            String token = issued.json().get("access_token").asString();
            assertThat(service.http().get(token, "/api/v2/organizations/" + DEMO_ORG + "/reservation-units").status())
                    .as("the binding of the operator's access file").isEqualTo(200);
            assertThat(Tokens.request(url, "ci-pipeline", secret + "x").status()).isEqualTo(401);
            assertThat(Tokens.person(url, new Fixtures.Person("frank", "frank-passphrase-42"))).isNotBlank();
            assertDemoIdentitiesRefused(url);

            // what one token costs with a bcrypt hash of cost CLIENT_COST, against the refusal of an unknown client
            // (the same request without any hash check)
            for (int i = 0; i < 10; i++) {
                Tokens.request(url, "ci-pipeline", secret);
                Tokens.request(url, "nobody", secret);
            }
            List<Long> issued30 = new ArrayList<>();
            List<Long> refused30 = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                long started = System.nanoTime();
                assertThat(Tokens.request(url, "ci-pipeline", secret).status()).isEqualTo(200);
                issued30.add(System.nanoTime() - started);
                started = System.nanoTime();
                assertThat(Tokens.request(url, "nobody", secret).status()).isEqualTo(401);
                refused30.add(System.nanoTime() - started);
            }
            Collections.sort(issued30);
            Collections.sort(refused30);
            System.out.printf("ExternalDatabaseIdentitiesIT: a token for a client with a bcrypt cost %d secret: "
                    + "median %.1f ms, p90 %.1f ms; an unknown client's refusal: median %.1f ms (30 requests each)%n",
                    CLIENT_COST, issued30.get(15) / 1e6, issued30.get(27) / 1e6, refused30.get(15) / 1e6);
        } finally {
            postgres.close();
            FileSystemUtils.deleteRecursively(pgDir);
        }
    }

    private static void assertDemoIdentitiesRefused(String url) {
        for (Fixtures.Client demo : List.of(Fixtures.DEMO_CLIENT, Fixtures.OTHER_CLIENT, Fixtures.OPERATOR_CLIENT,
                Fixtures.METRICS_CLIENT)) {
            RawHttp.Response refused = Tokens.request(url, demo.id(), demo.secret());
            assertThat(refused.status()).as("%s: %s", demo.id(), refused).isEqualTo(401);
            assertThat(refused.json().get("error").asString()).isEqualTo("invalid_client");
        }
        for (Fixtures.Person person : List.of(Fixtures.ALICE, Fixtures.ERIN)) {
            assertThatThrownBy(() -> Tokens.person(url, person)).as(person.username())
                    .hasMessageContaining("/login?error");
        }
    }
}
