package io.ringfence.identity;

import java.util.Set;

/**
 * Who is calling: the token's subject and the organizations it administers. Built per request from a
 * validated token; the resource services decide with it, never with the token itself.
 */
public record Caller(String subject, Set<String> administeredOrganizations) {

    public Caller {
        administeredOrganizations = Set.copyOf(administeredOrganizations);
    }

    public boolean administers(String organizationId) {
        return administeredOrganizations.contains(organizationId);
    }
}
