package io.ringfence.identity;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Role bindings from the access file: which subject (a user, or a client of client credentials) holds which
 * role in which organization. Understood so far: {@code administrator} of an organization, and
 * {@code platform-administrator} (no organization), who operates the fleet and reads every organization.
 *
 * <pre>
 * bindings:
 *   - subject: ringfence-demo
 *     organizationId: 161b9d5a-701d-4fea-848d-0e345edf16e9
 *     role: administrator
 *   - subject: ringfence-operator
 *     role: platform-administrator
 * </pre>
 */
@Component
public class AccessBindings {

    private final Map<String, Set<String>> administratorOf = new HashMap<>();
    private final Set<String> platformAdministrators = new HashSet<>();

    public AccessBindings(IdentityProperties properties, ResourceLoader resources) throws IOException {
        String location = properties.accessFile().contains(":") ? properties.accessFile()
                : "file:" + properties.accessFile();
        try (InputStream in = resources.getResource(location).getInputStream()) {
            parse(new Yaml(new SafeConstructor(new LoaderOptions())).load(in));
        }
    }

    public Caller callerFor(String subject) {
        return new Caller(subject, administratorOf.getOrDefault(subject, Set.of()),
                platformAdministrators.contains(subject));
    }

    private void parse(Object document) {
        if (!(document instanceof Map<?, ?> root) || !(root.get("bindings") instanceof List<?> bindings)) {
            throw new IllegalStateException("the access file must hold a 'bindings' list");
        }
        for (Object item : bindings) {
            if (!(item instanceof Map<?, ?> binding)) {
                throw new IllegalStateException("each access binding must be a mapping");
            }
            Object subject = binding.get("subject");
            Object organization = binding.get("organizationId");
            Object role = binding.get("role");
            if (subject != null && "platform-administrator".equals(role)) {
                platformAdministrators.add(subject.toString());
                continue;
            }
            if (subject == null || organization == null || !"administrator".equals(role)) {
                throw new IllegalStateException("an access binding needs subject, organizationId and role "
                        + "'administrator', or subject and role 'platform-administrator': " + binding);
            }
            administratorOf.computeIfAbsent(subject.toString(), k -> new HashSet<>()).add(organization.toString());
        }
    }
}
