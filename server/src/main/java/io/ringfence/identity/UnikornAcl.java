package io.ringfence.identity;

import io.ringfence.identity.Acl.Endpoint;
import io.ringfence.identity.Acl.Grant;
import io.ringfence.identity.Acl.Operation;
import io.ringfence.identity.Acl.Scope;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads an ACL in the Unikorn identity shape, as found in a token's {@code acl} claim or returned by
 * {@code GET /api/v1/organizations/{organizationID}/acl}:
 * <pre>
 * {"superAdmin": false,
 *  "organization": {"id": "...", "scopes": [{"name": "reservation:reservations", "operations": ["create", "read"]}]},
 *  "projects": [{"id": "...", "scopes": [...]}]}
 * </pre>
 * Projects belong to the organization named beside them: every project listed, with or without scopes, is placed
 * in that organization. Scopes for endpoints of other services are ignored.
 */
final class UnikornAcl {

    private UnikornAcl() {
    }

    static Acl parse(Object value) {
        if (!(value instanceof Map<?, ?> acl)) {
            return Acl.NONE;
        }
        List<Grant> grants = new ArrayList<>();
        if (Boolean.TRUE.equals(acl.get("superAdmin"))) {
            grants.addAll(Roles.grants("platform-administrator", Scope.GLOBAL, null, null));
        }
        String organizationId = null;
        if (acl.get("organization") instanceof Map<?, ?> organization && organization.get("id") != null) {
            organizationId = organization.get("id").toString();
            scopes(organization.get("scopes"), Scope.ORGANIZATION, organizationId, null, grants);
        }
        Set<String> placed = new HashSet<>();
        if (organizationId != null && acl.get("projects") instanceof List<?> projects) {
            for (Object item : projects) {
                if (item instanceof Map<?, ?> project && project.get("id") != null) {
                    placed.add(project.get("id").toString());
                    scopes(project.get("scopes"), Scope.PROJECT, organizationId, project.get("id").toString(), grants);
                }
            }
        }
        return organizationId == null ? Acl.of(grants) : Acl.of(grants).placing(Map.of(organizationId, placed));
    }

    private static void scopes(Object scopes, Scope scope, String organizationId, String projectId, List<Grant> grants) {
        if (!(scopes instanceof List<?> list)) {
            return;
        }
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> entry) || entry.get("name") == null) {
                continue;
            }
            Endpoint endpoint = Endpoint.fromWireName(entry.get("name").toString());
            if (endpoint == null || !(entry.get("operations") instanceof List<?> operations)) {
                continue;
            }
            Set<Operation> granted = EnumSet.noneOf(Operation.class);
            for (Object operation : operations) {
                if (!(operation instanceof String)) {
                    continue; // not an operation name: grants nothing
                }
                try {
                    granted.add(Operation.valueOf(operation.toString().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException unknown) {
                    // an operation this service does not know grants nothing here
                }
            }
            if (!granted.isEmpty()) {
                grants.add(new Grant(scope, organizationId, projectId, endpoint, granted));
            }
        }
    }
}
