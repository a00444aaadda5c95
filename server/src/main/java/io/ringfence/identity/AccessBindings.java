package io.ringfence.identity;

import io.ringfence.identity.Acl.Grant;
import io.ringfence.identity.Acl.Scope;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * ACL source (a): role bindings from the access file ({@link Identities#accessFile()}: the operator's, else the
 * demo bindings while the demo identities are on, else none). A binding names a {@code subject} (a token's
 * {@code sub}: a user, or the client ID of a client-credentials token) or a {@code client} (the token's
 * {@code azp}/{@code client_id}), a role, and its scope: nothing (global, for {@code platform-administrator}),
 * an {@code organizationId}, or an {@code organizationId} and {@code projectId}.
 *
 * <p>The file also says which organization each project belongs to: the {@code organizations} list names each
 * organization's projects, and a project binding places its project in its organization. A project belongs to
 * exactly one organization: a file that places one in two is refused at startup. These placements hold for every
 * caller, whatever its token says.
 *
 * <pre>
 * organizations:
 *   - {id: 161b9d5a-..., projects: [f113be96-...]}
 * bindings:
 *   - {subject: ringfence-demo, role: administrator, organizationId: 161b9d5a-...}
 *   - {subject: alice, role: user, organizationId: 161b9d5a-..., projectId: f113be96-...}
 *   - {client: ringfence-operator, role: platform-administrator}
 * </pre>
 */
@Component
public class AccessBindings {

    private final Map<String, List<Grant>> bySubject = new HashMap<>();
    private final Map<String, List<Grant>> byClient = new HashMap<>();
    private final Map<String, String> organizationOfProject = new HashMap<>();
    /**
     * The ACL of each pair of a bound subject (or none) and a bound client (or none), built on first use: a caller's
     * ACL depends on nothing else here, so there are at most (subjects + 1) x (clients + 1) of them, and building one
     * on every request was a few percent of a read's CPU.
     */
    private final Map<List<String>, Acl> acls = new ConcurrentHashMap<>();

    public AccessBindings(Identities identities, ResourceLoader resources) throws IOException {
        if (identities.accessFile().isEmpty()) {
            return; // no access file and no demo identities: no bindings at all
        }
        try (InputStream in = Identities.resource(resources, identities.accessFile().get()).getInputStream()) {
            parse(new Yaml(new SafeConstructor(new LoaderOptions())).load(in));
        }
    }

    /** The grants bound to this subject or client, with the file's placement of projects in organizations. */
    public Acl aclFor(String subject, String clientId) {
        String boundSubject = subject != null && bySubject.containsKey(subject) ? subject : null;
        String boundClient = clientId != null && byClient.containsKey(clientId) ? clientId : null;
        return acls.computeIfAbsent(Arrays.asList(boundSubject, boundClient), key -> build(boundSubject, boundClient));
    }

    private Acl build(String subject, String clientId) {
        List<Grant> grants = new ArrayList<>(bySubject.getOrDefault(subject, List.of()));
        grants.addAll(byClient.getOrDefault(clientId, List.of()));
        Map<String, List<String>> projectsByOrganization = new HashMap<>();
        organizationOfProject.forEach((project, organization) ->
                projectsByOrganization.computeIfAbsent(organization, k -> new ArrayList<>()).add(project));
        return Acl.of(grants).placing(projectsByOrganization);
    }

    private void place(String project, String organization) {
        String earlier = organizationOfProject.putIfAbsent(project, organization);
        if (earlier != null && !earlier.equals(organization)) {
            throw new IllegalStateException("the access file places project " + project + " in organization "
                    + earlier + " and in " + organization + "; a project belongs to exactly one organization");
        }
    }

    private void parse(Object document) {
        if (!(document instanceof Map<?, ?> root) || !(root.get("bindings") instanceof List<?> bindings)) {
            throw new IllegalStateException("the access file must hold a 'bindings' list");
        }
        if (root.get("organizations") != null) {
            if (!(root.get("organizations") instanceof List<?> organizations)) {
                throw new IllegalStateException("the access file's 'organizations' must be a list");
            }
            for (Object item : organizations) {
                if (!(item instanceof Map<?, ?> organization) || organization.get("id") == null
                        || !(organization.get("projects") instanceof List<?> projects)) {
                    throw new IllegalStateException("each organization of the access file needs an id and a projects "
                            + "list: " + item);
                }
                for (Object project : projects) {
                    place(String.valueOf(project), organization.get("id").toString());
                }
            }
        }
        for (Object item : bindings) {
            if (!(item instanceof Map<?, ?> binding)) {
                throw new IllegalStateException("each access binding must be a mapping");
            }
            Object subject = binding.get("subject");
            Object client = binding.get("client");
            Object role = binding.get("role");
            Object organization = binding.get("organizationId");
            Object project = binding.get("projectId");
            if ((subject == null) == (client == null) || role == null) {
                throw new IllegalStateException("an access binding needs a role and exactly one of subject or client: "
                        + binding);
            }
            Scope scope = organization == null ? Scope.GLOBAL : project == null ? Scope.ORGANIZATION : Scope.PROJECT;
            if (scope == Scope.GLOBAL && !"platform-administrator".equals(role)) {
                throw new IllegalStateException("only platform-administrator is bound without an organization: " + binding);
            }
            List<Grant> grants;
            try {
                grants = Roles.grants(role.toString(), scope, organization == null ? null : organization.toString(),
                        project == null ? null : project.toString());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(e.getMessage() + ": " + binding);
            }
            if (scope == Scope.PROJECT) {
                place(project.toString(), organization.toString());
            }
            (subject != null ? bySubject : byClient)
                    .computeIfAbsent((subject != null ? subject : client).toString(), k -> new ArrayList<>())
                    .addAll(grants);
        }
    }
}
