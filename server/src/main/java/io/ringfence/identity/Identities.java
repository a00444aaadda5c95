package io.ringfence.identity;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Who may sign in at the embedded issuer, and where role bindings come from.
 *
 * <p>The demo identities (the demo clients and people of {@code ringfence.identity.clients} and {@code users},
 * whose secrets the README publishes, and the demo access file that binds them to roles, a platform
 * administrator among them) exist only while {@code ringfence.identity.demo-identities} is on; unset, it is on
 * exactly when Ringfence runs its embedded PostgreSQL, so a fresh clone works as the README shows and a service
 * over an external database (as the manifests run it) has none of them. A WARN says when they are on.
 *
 * <p>Production clients and people come from the operator's clients file ({@link ClientsFile}), their bindings
 * from the access file; with neither demo identities, a clients file nor an external issuer, Ringfence still
 * starts and says that nobody can sign in.
 */
@Component
public class Identities {

    /** The demo role bindings, the access file while the demo identities are on and none is given. */
    public static final String DEMO_ACCESS_FILE = "classpath:identity/demo-access.yaml";

    private static final Logger log = LoggerFactory.getLogger(Identities.class);

    /** A client of the embedded issuer, its secret with its encoder's prefix. */
    public record Client(String id, String encodedSecret) {
    }

    /** A person of the login page, the password with its encoder's prefix. */
    public record Person(String username, String encodedPassword) {
    }

    private final boolean demo;
    private final List<Client> clients = new ArrayList<>();
    private final List<Person> people = new ArrayList<>();
    private final String accessFile;

    public Identities(IdentityProperties properties, Environment environment, ResourceLoader resources) {
        boolean embeddedDatabase = !StringUtils.hasText(environment.getProperty("spring.datasource.url"));
        demo = properties.demoIdentities() != null ? properties.demoIdentities() : embeddedDatabase;
        if (demo) {
            for (IdentityProperties.Client client : properties.clients()) {
                clients.add(new Client(client.id(), prefixed(client.secret())));
            }
            for (IdentityProperties.User user : properties.users()) {
                people.add(new Person(user.username(), prefixed(user.password())));
            }
            log.warn("The demo identities are on ({}): the demo clients {} and people {} sign in with the secrets "
                            + "the README publishes{}. Never run so where anyone else can reach Ringfence; "
                            + "RINGFENCE_DEMO_IDENTITIES=false turns them off.",
                    properties.demoIdentities() != null ? "RINGFENCE_DEMO_IDENTITIES=true" : "the embedded PostgreSQL runs",
                    clients.stream().map(Client::id).toList(), people.stream().map(Person::username).toList(),
                    properties.accessFile() == null
                            ? ", and the demo access file makes ringfence-operator a platform administrator" : "");
        }
        if (properties.clientsFile() != null) {
            ClientsFile file = ClientsFile.parse(read(resources, properties.clientsFile()), properties.clientsFile());
            for (ClientsFile.Client client : file.clients()) {
                if (clients.stream().anyMatch(c -> c.id().equals(client.id()))) {
                    throw new IllegalStateException("clients file " + properties.clientsFile() + ": client "
                            + client.id() + " is a demo client");
                }
                clients.add(new Client(client.id(), client.secretHash()));
            }
            for (ClientsFile.Person person : file.people()) {
                if (people.stream().anyMatch(p -> p.username().equals(person.username()))) {
                    throw new IllegalStateException("clients file " + properties.clientsFile() + ": person "
                            + person.username() + " is a demo person");
                }
                people.add(new Person(person.username(), person.passwordHash()));
            }
            log.info("Clients file {}: clients {}, people {}", properties.clientsFile(),
                    file.clients().stream().map(ClientsFile.Client::id).toList(),
                    file.people().stream().map(ClientsFile.Person::username).toList());
        }
        accessFile = properties.accessFile() != null ? properties.accessFile() : demo ? DEMO_ACCESS_FILE : null;
        if (accessFile == null) {
            log.info("No access file (RINGFENCE_ACCESS_FILE): no role bindings; grants come only from tokens' acl "
                    + "claims and the remote ACL endpoint, if any");
        }
        if (clients.isEmpty() && people.isEmpty() && properties.externalIssuers().isEmpty()) {
            log.warn("Nobody can sign in: the demo identities are off{}, there is no clients file "
                    + "(RINGFENCE_CLIENTS_FILE) and no external issuer (RINGFENCE_ISSUER_URI). The token endpoint "
                    + "refuses every client and the login page every person.",
                    embeddedDatabase ? "" : " (an external database is configured)");
        }
    }

    /** Whether the demo clients, people and bindings exist. */
    public boolean demo() {
        return demo;
    }

    /** The client-credentials clients of the embedded issuer: the demo ones if on, then the clients file's. */
    public List<Client> clients() {
        return List.copyOf(clients);
    }

    /** The people of the login page: the demo ones if on, then the clients file's. */
    public List<Person> people() {
        return List.copyOf(people);
    }

    /** The role bindings' location, or empty for none. */
    public Optional<String> accessFile() {
        return Optional.ofNullable(accessFile);
    }

    /** A secret in the clear (demo) is checked as such; one with an encoder's prefix by that encoder. */
    private static String prefixed(String secret) {
        return secret.startsWith("{") ? secret : "{noop}" + secret;
    }

    static Resource resource(ResourceLoader resources, String location) {
        return resources.getResource(location.contains(":") ? location : "file:" + location);
    }

    private static String read(ResourceLoader resources, String location) {
        Resource resource = resource(resources, location);
        if (!resource.exists()) {
            throw new IllegalStateException("clients file " + location + " does not exist");
        }
        try (InputStream in = resource.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the clients file " + location, e);
        }
    }
}
