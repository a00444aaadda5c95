package io.ringfence.support;

import io.ringfence.RingfenceApplication;
import io.ringfence.testkit.Fixtures;
import io.ringfence.testkit.RawHttp;
import io.ringfence.testkit.Tokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service, started once for all test classes that extend this: real PostgreSQL (embedded, in a
 * fresh data directory), real HTTP on a fixed port (the embedded issuer's URL must carry the real port before
 * the context starts), real tokens from the embedded issuer. Every class that extends this shares one Spring
 * context and one PostgreSQL: add no per-class properties, mocks or {@code @DirtiesContext}.
 */
@SpringBootTest(classes = RingfenceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
        properties = {
                "ringfence.fleet.manifest=classpath:fleet/test-fleet.yaml",
                "ringfence.storage.durable=false",
                "ringfence.provider.simulated.prepare-unit=20ms",
                "ringfence.provider.simulated.release-unit=20ms",
                "ringfence.provider.simulated.server-boot=300ms",
                "ringfence.provider.simulated.power-operation=200ms",
                "ringfence.provider.simulated.max-in-flight-per-region.bound-test=4",
                "ringfence.reconciler.poll-interval=200ms",
                "ringfence.reconciler.initial-backoff=100ms",
                "ringfence.health.poll-interval=200ms",
                "spring.datasource.hikari.maximum-pool-size=24",
                // a short throttling window, so that a test can wait it out; the limits of the defaults' order
                "ringfence.identity.throttle.window=3s",
                "ringfence.identity.throttle.max-failures-per-client=5",
                "ringfence.identity.throttle.max-failures-per-user=5",
                // windows short enough that a test sees a reservation start and end
                "ringfence.calendar.minimum-window=2s",
        })
@TestInstance(TestInstance.Lifecycle.PER_CLASS) // the service is up before any @BeforeAll runs
public abstract class RingfenceTestBase {

    protected static final int PORT = freePort();
    protected static final Path DATA_DIR = tempDir();
    protected static final RawHttp api = new RawHttp("http://localhost:" + PORT);
    /** The external identity service the service is configured to trust (issuer and remote ACL endpoint). */
    protected static final IdentityStub identity = new IdentityStub();

    @DynamicPropertySource
    static void ringfenceProperties(DynamicPropertyRegistry registry) {
        registry.add("server.port", () -> PORT);
        registry.add("ringfence.storage.data-dir", DATA_DIR::toString);
        registry.add("ringfence.identity.issuer-uri", identity::issuer);
        registry.add("ringfence.identity.acl-endpoint", identity::baseUrl);
        registry.add("ringfence.identity.acl-cache", () -> "0s");
    }

    protected static String demoToken() {
        return Tokens.of(api.baseUrl(), Fixtures.DEMO_CLIENT);
    }

    protected static String otherToken() {
        return Tokens.of(api.baseUrl(), Fixtures.OTHER_CLIENT);
    }

    protected static String operatorToken() {
        return Tokens.of(api.baseUrl(), Fixtures.OPERATOR_CLIENT);
    }

    /** A demo person's token from the login page (authorization code with PKCE). */
    protected static String personToken(String username) {
        return Tokens.person(api.baseUrl(), Fixtures.person(username));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("ringfence-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
