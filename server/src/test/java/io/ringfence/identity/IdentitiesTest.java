package io.ringfence.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.Pbkdf2PasswordEncoder;

/**
 * Which identities exist: the demo ones only with the embedded database unless RINGFENCE_DEMO_IDENTITIES says
 * otherwise, the operator's from a clients file of hashes, and role bindings only from a given access file once
 * the demo identities are off.
 */
class IdentitiesTest {

    private static final String EXTERNAL = "jdbc:postgresql://db.example.com:5432/ringfence";

    @TempDir
    Path dir;

    @Test
    void demoIdentitiesAreOnWithTheEmbeddedDatabaseOnly() {
        Identities embedded = identities(null, Map.of());
        assertThat(embedded.demo()).isTrue();
        assertThat(embedded.clients()).extracting(Identities.Client::id).contains("ringfence-demo", "ringfence-operator");
        assertThat(embedded.people()).extracting(Identities.Person::username).contains("alice");
        assertThat(embedded.accessFile()).contains(Identities.DEMO_ACCESS_FILE);

        Identities external = identities(EXTERNAL, Map.of());
        assertThat(external.demo()).isFalse();
        assertThat(external.clients()).isEmpty();
        assertThat(external.people()).isEmpty();
        assertThat(external.accessFile()).as("no bindings unless a file is given").isEmpty();
    }

    @Test
    void theSettingWinsOverTheDatabase() {
        assertThat(identities(EXTERNAL, Map.of("ringfence.identity.demo-identities", "true")).demo()).isTrue();
        Identities off = identities(null, Map.of("ringfence.identity.demo-identities", "false"));
        assertThat(off.demo()).isFalse();
        assertThat(off.clients()).isEmpty();
        assertThat(off.accessFile()).isEmpty();
        // the placeholder of application.yaml with RINGFENCE_DEMO_IDENTITIES unset
        assertThat(identities(EXTERNAL, Map.of("ringfence.identity.demo-identities", "")).demo()).isFalse();
        assertThat(identities(null, Map.of("ringfence.identity.demo-identities", "")).demo()).isTrue();
    }

    @Test
    void theOperatorsClientsAndPeopleComeFromTheClientsFile() throws IOException {
        String clientHash = new BCryptPasswordEncoder(8).encode("ci-secret");
        String pbkdf2 = Pbkdf2PasswordEncoder.defaultsForSpringSecurity_v5_8().encode("scraper-secret");
        String personHash = new BCryptPasswordEncoder(10).encode("frank-passphrase");
        Path file = dir.resolve("clients.yaml");
        Files.writeString(file, """
                clients:
                  - {id: ci-pipeline, secret-hash: "%s"}
                  - {id: scraper, secret-hash: "{pbkdf2@SpringSecurity_v5_8}%s"}
                people:
                  - {username: frank, password-hash: "{bcrypt}%s"}
                """.formatted(clientHash, pbkdf2, personHash));
        Identities identities = identities(EXTERNAL, Map.of("ringfence.identity.clients-file", file.toString(),
                "ringfence.identity.access-file", "classpath:identity/demo-access.yaml"));
        var encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        assertThat(identities.clients()).extracting(Identities.Client::id).containsExactly("ci-pipeline", "scraper");
        assertThat(encoder.matches("ci-secret", identities.clients().get(0).encodedSecret())).isTrue();
        assertThat(encoder.matches("scraper-secret", identities.clients().get(1).encodedSecret())).isTrue();
        assertThat(identities.people()).singleElement().satisfies(p -> {
            assertThat(p.username()).isEqualTo("frank");
            assertThat(encoder.matches("frank-passphrase", p.encodedPassword())).isTrue();
        });
        assertThat(identities.accessFile()).as("an access file given explicitly").isPresent();
    }

    @Test
    void aClientsFileHoldsHashesNeverSecrets() {
        for (String secret : List.of("ci-secret", "{noop}ci-secret", "{bcrypt}ci-secret", "$2a$08$short",
                "{sha256}abcdef")) {
            assertThatThrownBy(() -> ClientsFile.parse("clients:\n  - {id: ci, secret-hash: \"" + secret + "\"}\n",
                    "clients.yaml"))
                    .as(secret).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not a bcrypt or PBKDF2 hash").hasMessageNotContaining("ci-secret");
        }
        assertThatThrownBy(() -> ClientsFile.parse("clients:\n  - {id: ci, secret: plain}\n", "clients.yaml"))
                .hasMessageContaining("unknown key 'secret'");
        assertThatThrownBy(() -> identities(EXTERNAL, Map.of("ringfence.identity.clients-file",
                dir.resolve("missing.yaml").toString()))).hasMessageContaining("does not exist");
    }

    @Test
    void noBindingsWithoutAnAccessFileOnceTheDemoIdentitiesAreOff() throws IOException {
        AccessBindings bindings = new AccessBindings(identities(EXTERNAL, Map.of()), new DefaultResourceLoader());
        assertThat(bindings.aclFor("ringfence-operator", "ringfence-operator").grants()).isEmpty();
        AccessBindings demo = new AccessBindings(identities(null, Map.of()), new DefaultResourceLoader());
        assertThat(demo.aclFor("ringfence-operator", "ringfence-operator").grants()).isNotEmpty();
    }

    @Test
    void anAclIsBuiltOncePerPairOfBoundSubjectAndClient() throws IOException {
        AccessBindings demo = new AccessBindings(identities(null, Map.of()), new DefaultResourceLoader());

        Acl operator = demo.aclFor("ringfence-operator", "ringfence-operator");
        assertThat(demo.aclFor("ringfence-operator", "ringfence-operator")).isSameAs(operator);
        assertThat(operator.grants()).isNotEmpty();
        // what is not bound in the file adds nothing, so it shares the ACL of what is
        assertThat(demo.aclFor("alice", "a-client-nobody-bound")).isSameAs(demo.aclFor("alice", null));
        Acl stranger = demo.aclFor("someone-nobody-bound", "a-client-nobody-bound");
        assertThat(demo.aclFor("another-stranger", null)).isSameAs(stranger);
        assertThat(stranger.grants()).isEmpty();
        // the file's placements of projects hold for strangers too
        assertThat(stranger.projects()).isNotEmpty().isEqualTo(operator.projects());
        assertThat(demo.aclFor("alice", null).grants()).isNotEmpty().isNotEqualTo(operator.grants());
    }

    /** Identities as the service builds them: the demo clients and people of application.yaml, bound. */
    private static Identities identities(String datasourceUrl, Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("ringfence.identity.clients[0].id", "ringfence-demo");
        all.put("ringfence.identity.clients[0].secret", "ringfence-demo-secret");
        all.put("ringfence.identity.clients[1].id", "ringfence-operator");
        all.put("ringfence.identity.clients[1].secret", "ringfence-operator-secret");
        all.put("ringfence.identity.users[0].username", "alice");
        all.put("ringfence.identity.users[0].password", "alice-password");
        IdentityProperties properties = new Binder(new MapConfigurationPropertySource(all))
                .bindOrCreate("ringfence.identity", IdentityProperties.class);
        MockEnvironment environment = new MockEnvironment();
        if (datasourceUrl != null) {
            environment.setProperty("spring.datasource.url", datasourceUrl);
        }
        return new Identities(properties, environment, new DefaultResourceLoader());
    }
}
