package io.ringfence.identity;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The operator's clients and people ({@code RINGFENCE_CLIENTS_FILE}): client-credentials clients of the embedded
 * issuer and the people of its login page, each with a hash of its secret, never the secret itself.
 *
 * <pre>
 * clients:
 *   - id: ci-pipeline
 *     secret-hash: "$2y$08$..."          # bcrypt ({bcrypt} prefix optional)
 *   - id: metrics-scraper
 *     secret-hash: "{pbkdf2@SpringSecurity_v5_8}..."
 * people:
 *   - username: frank
 *     password-hash: "$2y$10$..."
 * </pre>
 *
 * <p>A hash is bcrypt ({@code $2a$}, {@code $2b$}, {@code $2y$}, optionally prefixed {@code {bcrypt}}) or Spring
 * Security's PBKDF2 ({@code {pbkdf2}} or {@code {pbkdf2@SpringSecurity_v5_8}} and hex). Anything else, a secret in
 * the clear included, refuses the file: Ringfence does not start with it.
 */
public final class ClientsFile {

    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]?\\$\\d\\d\\$[./A-Za-z0-9]{53}");
    private static final Pattern PBKDF2 = Pattern.compile(
            "\\{pbkdf2(@SpringSecurity_v5_[28])?}[0-9a-fA-F]{32,}");

    /** A client of the embedded issuer; {@code secretHash} carries its encoder's prefix. */
    public record Client(String id, String secretHash) {
    }

    /** A person of the login page; {@code passwordHash} carries its encoder's prefix. */
    public record Person(String username, String passwordHash) {
    }

    private final List<Client> clients;
    private final List<Person> people;

    private ClientsFile(List<Client> clients, List<Person> people) {
        this.clients = List.copyOf(clients);
        this.people = List.copyOf(people);
    }

    public List<Client> clients() {
        return clients;
    }

    public List<Person> people() {
        return people;
    }

    /** Parses the file's text; {@code source} names it in errors. */
    public static ClientsFile parse(String text, String source) {
        Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        if (document == null) {
            return new ClientsFile(List.of(), List.of());
        }
        if (!(document instanceof Map<?, ?> root)) {
            throw invalid(source, "the clients file must be a mapping with 'clients' and 'people' lists");
        }
        for (Object key : root.keySet()) {
            if (!"clients".equals(key) && !"people".equals(key)) {
                throw invalid(source, "unknown key '" + key + "' (expected 'clients' and 'people')");
            }
        }
        List<Client> clients = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Map<?, ?> entry : entries(root.get("clients"), "clients", source)) {
            String id = field(entry, "id", Set.of("id", "secret-hash"), source);
            if ("ringfence-console".equals(id)) {
                throw invalid(source, "the client ID ringfence-console is the console's public client");
            }
            if (!ids.add(id)) {
                throw invalid(source, "client " + id + " is listed twice");
            }
            clients.add(new Client(id, hash(field(entry, "secret-hash", Set.of("id", "secret-hash"), source),
                    "client " + id, source)));
        }
        List<Person> people = new ArrayList<>();
        Set<String> usernames = new HashSet<>();
        for (Map<?, ?> entry : entries(root.get("people"), "people", source)) {
            String username = field(entry, "username", Set.of("username", "password-hash"), source);
            if (!usernames.add(username)) {
                throw invalid(source, "person " + username + " is listed twice");
            }
            people.add(new Person(username, hash(field(entry, "password-hash", Set.of("username", "password-hash"),
                    source), "person " + username, source)));
        }
        return new ClientsFile(clients, people);
    }

    /** The hash with its encoder's prefix, or a refusal naming whose it is (never the value). */
    static String hash(String value, String whose, String source) {
        String trimmed = value.trim();
        if (BCRYPT.matcher(trimmed).matches()) {
            return "{bcrypt}" + trimmed;
        }
        if (trimmed.startsWith("{bcrypt}") && BCRYPT.matcher(trimmed.substring("{bcrypt}".length())).matches()) {
            return trimmed;
        }
        if (PBKDF2.matcher(trimmed).matches()) {
            return trimmed;
        }
        throw invalid(source, "the secret of " + whose + " is not a bcrypt or PBKDF2 hash; the file holds hashes,"
                + " never secrets (see the README: Production identities)");
    }

    private static List<Map<?, ?>> entries(Object list, String name, String source) {
        if (list == null) {
            return List.of();
        }
        if (!(list instanceof List<?> items)) {
            throw invalid(source, "'" + name + "' must be a list");
        }
        List<Map<?, ?>> entries = new ArrayList<>();
        for (Object item : items) {
            if (!(item instanceof Map<?, ?> entry)) {
                throw invalid(source, "each entry of '" + name + "' must be a mapping");
            }
            entries.add(entry);
        }
        return entries;
    }

    private static String field(Map<?, ?> entry, String name, Set<String> allowed, String source) {
        for (Object key : entry.keySet()) {
            if (!allowed.contains(String.valueOf(key))) {
                throw invalid(source, "unknown key '" + key + "' (expected " + String.join(", ", allowed) + ")");
            }
        }
        Object value = entry.get(name);
        if (value == null || value.toString().isBlank()) {
            throw invalid(source, "an entry lacks '" + name + "'");
        }
        return value.toString().trim();
    }

    private static IllegalStateException invalid(String source, String problem) {
        return new IllegalStateException("clients file " + source + ": " + problem);
    }
}
