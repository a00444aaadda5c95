package io.ringfence.identity;

import io.ringfence.resource.Scoped;
import io.ringfence.error.ApiException;
import java.util.Optional;

import io.ringfence.identity.Acl.Endpoint;
import io.ringfence.identity.Acl.Operation;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Who is calling, and what they may do: the token's subject and client, the ACL its sources granted up front
 * (role bindings, the token's {@code acl} claim), and per organization whatever a remote ACL endpoint grants,
 * fetched only when a decision needs that organization. The services decide with this, never with the token.
 */
public final class Caller {

    private final String subject;
    private final String clientId;
    private final Acl acl;
    private final Function<String, Acl> perOrganization;
    private final Map<String, Acl> fetched = new ConcurrentHashMap<>();

    public Caller(String subject, String clientId, Acl acl, Function<String, Acl> perOrganization) {
        this.subject = subject;
        this.clientId = clientId;
        this.acl = acl;
        this.perOrganization = perOrganization;
    }

    public Caller(String subject, Acl acl) {
        this(subject, subject, acl, organization -> Acl.NONE);
    }

    public String subject() {
        return subject;
    }

    public String clientId() {
        return clientId;
    }

    /**
     * Whether the caller may {@code operation} on {@code endpoint} for this (organization, project) pair. Every check
     * takes the pair: the project must belong to that organization as the identity sources say (the access file,
     * the token's {@code acl} claim, the remote ACL endpoint), so a grant in one organization never reaches another
     * organization's project by naming it. A global grant still reads and changes what exists wherever it is, but
     * nobody creates in a project that is not placed in the request's organization.
     */
    public boolean allows(Endpoint endpoint, Operation operation, String organizationId, String projectId) {
        if (projectId != null && !projectIn(organizationId, projectId)
                && (operation == Operation.CREATE || !acl.allowsGlobally(endpoint, operation))) {
            return false;
        }
        return acl.allows(endpoint, operation, organizationId, projectId)
                || remote(organizationId).allows(endpoint, operation, organizationId, projectId);
    }

    /**
     * Whether the identity sources place the project in this organization and in no other. The local sources (the
     * access file and the token) answer first; the remote ACL endpoint is asked about the organization only when
     * they know nothing of the project.
     */
    public boolean projectIn(String organizationId, String projectId) {
        if (organizationId == null || projectId == null) {
            return false;
        }
        Set<String> placed = acl.organizationsOf(projectId);
        if (placed.isEmpty()) {
            placed = remote(organizationId).organizationsOf(projectId);
        }
        return placed.size() == 1 && placed.contains(organizationId);
    }

    /** {@code found} if the caller may read it on {@code endpoint}; otherwise 404, as if it did not exist. */
    public <T extends Scoped> T readable(Optional<T> found, Endpoint endpoint) {
        return found.filter(r -> allows(endpoint, Operation.READ, r.organizationId(), r.projectId()))
                .orElseThrow(ApiException::notFound);
    }

    /** {@code resource} (already readable) if the caller may {@code operation} it; otherwise 403. */
    public <T extends Scoped> T permitted(T resource, Endpoint endpoint, Operation operation) {
        if (!allows(endpoint, operation, resource.organizationId(), resource.projectId())) {
            throw ApiException.forbidden();
        }
        return resource;
    }

    /** 403 unless {@link #allowsSomewhereIn}: the check of every organization-scoped view. */
    public void requireSomewhereIn(Endpoint endpoint, Operation operation, String organizationId) {
        if (!allowsSomewhereIn(endpoint, operation, organizationId)) {
            throw ApiException.forbidden();
        }
    }

    /** At organization scope or in any of its projects: enough to see the organization's scoped views. */
    public boolean allowsSomewhereIn(Endpoint endpoint, Operation operation, String organizationId) {
        return acl.allowsSomewhereIn(endpoint, operation, organizationId)
                || remote(organizationId).allowsSomewhereIn(endpoint, operation, organizationId);
    }

    /**
     * Organizations the caller may read something of on this endpoint, given the organizations a request names
     * (null: none named). Null means every organization.
     */
    public Set<String> readableOrganizations(Endpoint endpoint, Set<String> named) {
        Set<String> granted = acl.organizationsWith(endpoint, Operation.READ);
        if (granted == null) {
            return named;
        }
        Set<String> result = new java.util.HashSet<>(granted);
        if (named != null) {
            result.retainAll(named);
            for (String organization : named) {
                if (remote(organization).allowsSomewhereIn(endpoint, Operation.READ, organization)) {
                    result.add(organization);
                }
            }
        }
        return result;
    }

    public boolean platformAdministrator() {
        return acl.platformAdministrator();
    }

    private Acl remote(String organizationId) {
        return organizationId == null ? Acl.NONE : fetched.computeIfAbsent(organizationId, perOrganization);
    }
}
