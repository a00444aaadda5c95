package io.ringfence.identity;

import java.util.Set;

/**
 * Who is calling: the token's subject, the organizations it administers, and whether it is a platform
 * administrator (an operator of the whole fleet, who may read every organization's resources). Built per
 * request from a validated token; the resource services decide with it, never with the token itself.
 */
public record Caller(String subject, Set<String> administeredOrganizations, boolean platformAdministrator) {

    public Caller {
        administeredOrganizations = Set.copyOf(administeredOrganizations);
    }

    /** May create, change and delete resources of the organization. */
    public boolean administers(String organizationId) {
        return administeredOrganizations.contains(organizationId);
    }

    /** May read resources of the organization. */
    public boolean canRead(String organizationId) {
        return platformAdministrator || administers(organizationId);
    }
}
