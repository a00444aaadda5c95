package io.ringfence.identity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An access control list in the Unikorn model: grants of operations on named endpoints, each at global,
 * organization or project scope, and what the source knows of which organization each project belongs to.
 * Permissions add up; nothing denies.
 *
 * @param projects project ID to the organizations this ACL's sources place it in. A project belongs to exactly one
 *     organization, so more than one entry means the sources disagree and the project is placed nowhere.
 */
public record Acl(List<Grant> grants, Map<String, Set<String>> projects) {

    public static final Acl NONE = new Acl(List.of());

    public Acl {
        grants = List.copyOf(grants);
        Map<String, Set<String>> known = new HashMap<>();
        projects.forEach((project, organizations) -> known.put(project, new HashSet<>(organizations)));
        for (Grant grant : grants) {
            if (grant.scope() == Scope.PROJECT) {
                known.computeIfAbsent(grant.projectId(), k -> new HashSet<>()).add(grant.organizationId());
            }
        }
        known.replaceAll((project, organizations) -> Set.copyOf(organizations));
        projects = Map.copyOf(known);
    }

    public Acl(List<Grant> grants) {
        this(grants, Map.of());
    }

    /** The endpoint names ACL grants are made on, as the Unikorn identity service names them. */
    public enum Endpoint {
        RESERVATIONS("reservation:reservations"),
        PLACEMENTS("reservation:placements"),
        SERVERS("reservation:placements/servers"),
        RESERVATION_UNITS("reservation:reservationunits"),
        TOPOLOGY("reservation:topology");

        private final String wireName;

        Endpoint(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Endpoint fromWireName(String name) {
            for (Endpoint endpoint : values()) {
                if (endpoint.wireName.equals(name)) {
                    return endpoint;
                }
            }
            return null;
        }
    }

    public enum Operation { CREATE, READ, UPDATE, DELETE }

    public enum Scope { GLOBAL, ORGANIZATION, PROJECT }

    /** One grant: operations on an endpoint, in the whole platform, an organization, or one project of it. */
    public record Grant(Scope scope, String organizationId, String projectId, Endpoint endpoint,
                        Set<Operation> operations) {
        public Grant {
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(endpoint, "endpoint");
            operations = operations.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(operations));
            if (scope != Scope.GLOBAL && organizationId == null) {
                throw new IllegalArgumentException("organization and project grants name their organization");
            }
            if (scope == Scope.PROJECT && projectId == null) {
                throw new IllegalArgumentException("project grants name their project");
            }
        }

        boolean covers(Endpoint endpoint, Operation operation, String organization, String project) {
            if (this.endpoint != endpoint || !operations.contains(operation)) {
                return false;
            }
            return switch (scope) {
                case GLOBAL -> true;
                case ORGANIZATION -> organizationId.equals(organization);
                case PROJECT -> organizationId.equals(organization) && projectId.equals(project);
            };
        }
    }

    /** Whether the operation is allowed on a resource of that organization and project. */
    public boolean allows(Endpoint endpoint, Operation operation, String organizationId, String projectId) {
        for (Grant grant : grants) {
            if (grant.covers(endpoint, operation, organizationId, projectId)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the operation is allowed somewhere in the organization: at its scope or in one of its projects. */
    public boolean allowsSomewhereIn(Endpoint endpoint, Operation operation, String organizationId) {
        for (Grant grant : grants) {
            if (grant.endpoint() == endpoint && grant.operations().contains(operation)
                    && (grant.scope() == Scope.GLOBAL || grant.organizationId().equals(organizationId))) {
                return true;
            }
        }
        return false;
    }

    /** Whether this ACL holds a global grant of the operation on the endpoint. */
    public boolean allowsGlobally(Endpoint endpoint, Operation operation) {
        return grants.stream().anyMatch(g -> g.scope() == Scope.GLOBAL && g.endpoint() == endpoint
                && g.operations().contains(operation));
    }

    public boolean platformAdministrator() {
        for (Endpoint endpoint : Endpoint.values()) {
            for (Operation operation : Operation.values()) {
                if (!allowsGlobally(endpoint, operation)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Organizations where the operation is allowed somewhere; null means every organization. */
    public Set<String> organizationsWith(Endpoint endpoint, Operation operation) {
        if (allowsGlobally(endpoint, operation)) {
            return null;
        }
        Set<String> organizations = new java.util.HashSet<>();
        for (Grant grant : grants) {
            if (grant.endpoint() == endpoint && grant.operations().contains(operation)) {
                organizations.add(grant.organizationId());
            }
        }
        return organizations;
    }

    /**
     * The organizations this ACL's sources place the project in: empty when they say nothing of it, one when they
     * know, more when they disagree.
     */
    public Set<String> organizationsOf(String projectId) {
        return projects.getOrDefault(projectId, Set.of());
    }

    public Acl plus(Acl other) {
        List<Grant> all = new ArrayList<>(grants);
        all.addAll(other.grants);
        Map<String, Set<String>> known = new HashMap<>(projects);
        other.projects.forEach((project, organizations) -> known.merge(project, organizations, (a, b) -> {
            Set<String> both = new HashSet<>(a);
            both.addAll(b);
            return both;
        }));
        return new Acl(all, known);
    }

    /** This ACL, also placing each project of {@code projectsByOrganization} in its organization. */
    public Acl placing(Map<String, ? extends Collection<String>> projectsByOrganization) {
        Map<String, Set<String>> known = new HashMap<>();
        projectsByOrganization.forEach((organization, projectIds) -> projectIds.forEach(project ->
                known.computeIfAbsent(project, k -> new HashSet<>()).add(organization)));
        return plus(new Acl(List.of(), known));
    }

    public static Acl of(Collection<Grant> grants) {
        return new Acl(List.copyOf(grants));
    }
}
