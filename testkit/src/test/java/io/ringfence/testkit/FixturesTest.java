package io.ringfence.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The fixtures are the service's own demo configuration, not a copy that drifts from it. */
class FixturesTest {

    private static final Path RESOURCES = Path.of(System.getProperty("ringfence.server.resources",
            "../server/src/main/resources"));

    @Test
    void organizationsAndProjectsAreThoseOfTheDemoAccessFile() throws IOException {
        List<Map<String, Object>> bindings = list(load("identity/demo-access.yaml").get("bindings"));
        assertThat(bindings).anySatisfy(b -> assertThat(b).containsEntry("subject", Fixtures.DEMO_CLIENT.id())
                .containsEntry("organizationId", Fixtures.DEMO_ORG));
        assertThat(bindings).anySatisfy(b -> assertThat(b).containsEntry("subject", Fixtures.OTHER_CLIENT.id())
                .containsEntry("organizationId", Fixtures.OTHER_ORG));
        assertThat(bindings).anySatisfy(b -> assertThat(b).containsEntry("subject", Fixtures.OPERATOR_CLIENT.id())
                .containsEntry("role", "platform-administrator"));
        assertThat(bindings).anySatisfy(b -> assertThat(b).containsEntry("subject", Fixtures.BOB.username())
                .containsEntry("organizationId", Fixtures.DEMO_ORG).containsEntry("projectId", Fixtures.DEMO_PROJECT));
        for (Fixtures.Person person : List.of(Fixtures.ALICE, Fixtures.CAROL, Fixtures.DAVE)) {
            assertThat(bindings).anySatisfy(b -> assertThat(b).containsEntry("subject", person.username())
                    .containsEntry("organizationId", Fixtures.DEMO_ORG));
        }
        assertThat(bindings).anySatisfy(b -> assertThat(b).containsEntry("subject", Fixtures.ERIN.username())
                .containsEntry("organizationId", Fixtures.OTHER_ORG));
        List<Map<String, Object>> organizations = list(load("identity/demo-access.yaml").get("organizations"));
        assertThat(organizations).contains(
                Map.of("id", Fixtures.DEMO_ORG, "projects", List.of(Fixtures.DEMO_PROJECT)),
                Map.of("id", Fixtures.OTHER_ORG, "projects", List.of(Fixtures.OTHER_PROJECT)));
    }

    @Test
    void regionsAndTheNetworkAreThoseOfTheDemoFleet() throws IOException {
        List<Map<String, Object>> regions = list(load("fleet/demo-fleet.yaml").get("regions"));
        assertThat(regions).extracting(r -> r.get("id")).containsExactly(Fixtures.DOCS_REGION, Fixtures.SECOND_REGION);
        List<Map<String, Object>> networks = list(regions.get(0).get("networks"));
        assertThat(networks).anySatisfy(n -> assertThat(n).containsEntry("id", Fixtures.DOCS_NETWORK)
                .containsEntry("organizationId", Fixtures.DEMO_ORG).containsEntry("projectId", Fixtures.DEMO_PROJECT));
        assertThat(networks).anySatisfy(n -> assertThat(n).containsEntry("id", Fixtures.OTHER_NETWORK)
                .containsEntry("organizationId", Fixtures.OTHER_ORG).containsEntry("projectId", Fixtures.OTHER_PROJECT));
        Map<String, Object> unitType = list(regions.get(0).get("unitTypes")).get(0);
        assertThat(unitType).containsEntry("accelerator", Fixtures.ACCELERATOR).containsEntry("unit", Fixtures.UNIT);
    }

    @Test
    void clientsAndPeopleAreThoseOfTheServiceConfiguration() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> identity = (Map<String, Object>) ((Map<String, Object>) load("application.yaml")
                .get("ringfence")).get("identity");
        List<Map<String, Object>> clients = list(identity.get("clients"));
        for (Fixtures.Client client : List.of(Fixtures.DEMO_CLIENT, Fixtures.OTHER_CLIENT, Fixtures.OPERATOR_CLIENT,
                Fixtures.METRICS_CLIENT)) {
            assertThat(clients).contains(Map.of("id", client.id(), "secret", client.secret()));
        }
        List<Map<String, Object>> users = list(identity.get("users"));
        for (Fixtures.Person person : List.of(Fixtures.ALICE, Fixtures.BOB, Fixtures.CAROL, Fixtures.DAVE, Fixtures.ERIN)) {
            assertThat(users).contains(Map.of("username", person.username(), "password", person.password()));
        }
    }

    private static Map<String, Object> load(String file) throws IOException {
        try (Reader reader = Files.newBufferedReader(RESOURCES.resolve(file))) {
            return new Yaml().load(reader);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }
}
