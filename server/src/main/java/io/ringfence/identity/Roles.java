package io.ringfence.identity;

import io.ringfence.identity.Acl.Endpoint;
import io.ringfence.identity.Acl.Grant;
import io.ringfence.identity.Acl.Operation;
import io.ringfence.identity.Acl.Scope;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The roles, as sets of grants at the scope a binding gives them:
 * <ul>
 *   <li>{@code platform-administrator}: everything, everywhere (global scope only);</li>
 *   <li>{@code administrator}: everything in the organization or project bound;</li>
 *   <li>{@code user}: create, read, update and delete reservations, placements and servers, and read units
 *       and the topology;</li>
 *   <li>{@code reader}: read everything;</li>
 *   <li>{@code auditor}: read everything (and the audit trail, which stays with operators for now).</li>
 * </ul>
 */
public final class Roles {

    public static final List<String> NAMES = List.of("platform-administrator", "administrator", "user", "reader",
            "auditor");

    private Roles() {
    }

    public static List<Grant> grants(String role, Scope scope, String organizationId, String projectId) {
        Set<Operation> all = EnumSet.allOf(Operation.class);
        Set<Operation> read = EnumSet.of(Operation.READ);
        List<Grant> grants = new ArrayList<>();
        switch (role) {
            case "platform-administrator" -> {
                if (scope != Scope.GLOBAL) {
                    throw new IllegalArgumentException("platform-administrator is bound globally, to no organization");
                }
                for (Endpoint endpoint : Endpoint.values()) {
                    grants.add(new Grant(Scope.GLOBAL, null, null, endpoint, all));
                }
            }
            case "administrator" -> {
                for (Endpoint endpoint : Endpoint.values()) {
                    grants.add(new Grant(scope, organizationId, projectId, endpoint, all));
                }
            }
            case "user" -> {
                for (Endpoint endpoint : List.of(Endpoint.RESERVATIONS, Endpoint.PLACEMENTS, Endpoint.SERVERS)) {
                    grants.add(new Grant(scope, organizationId, projectId, endpoint, all));
                }
                grants.add(new Grant(scope, organizationId, projectId, Endpoint.RESERVATION_UNITS, read));
                grants.add(new Grant(scope, organizationId, projectId, Endpoint.TOPOLOGY, read));
            }
            case "reader", "auditor" -> {
                for (Endpoint endpoint : Endpoint.values()) {
                    grants.add(new Grant(scope, organizationId, projectId, endpoint, read));
                }
            }
            default -> throw new IllegalArgumentException("unknown role '" + role + "'; roles are " + NAMES);
        }
        return grants;
    }
}
