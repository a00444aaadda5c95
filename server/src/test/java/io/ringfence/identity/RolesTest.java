package io.ringfence.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringfence.identity.Acl.Endpoint;
import io.ringfence.identity.Acl.Grant;
import io.ringfence.identity.Acl.Operation;
import io.ringfence.identity.Acl.Scope;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What each role may and may not do on each endpoint, and where. */
class RolesTest {

    static final String ORG = "org-a";
    static final String OTHER_ORG = "org-b";
    static final String PROJECT = "project-1";
    static final String OTHER_PROJECT = "project-2";

    static final Set<Operation> ALL = EnumSet.allOf(Operation.class);
    static final Set<Operation> READ = EnumSet.of(Operation.READ);

    /** Per role, per endpoint: exactly the operations it grants. */
    static final Map<String, Map<Endpoint, Set<Operation>>> TABLE = Map.of(
            "platform-administrator", Map.of(
                    Endpoint.RESERVATIONS, ALL, Endpoint.PLACEMENTS, ALL, Endpoint.SERVERS, ALL,
                    Endpoint.RESERVATION_UNITS, ALL, Endpoint.TOPOLOGY, ALL),
            "administrator", Map.of(
                    Endpoint.RESERVATIONS, ALL, Endpoint.PLACEMENTS, ALL, Endpoint.SERVERS, ALL,
                    Endpoint.RESERVATION_UNITS, ALL, Endpoint.TOPOLOGY, ALL),
            "user", Map.of(
                    Endpoint.RESERVATIONS, ALL, Endpoint.PLACEMENTS, ALL, Endpoint.SERVERS, ALL,
                    Endpoint.RESERVATION_UNITS, READ, Endpoint.TOPOLOGY, READ),
            "reader", Map.of(
                    Endpoint.RESERVATIONS, READ, Endpoint.PLACEMENTS, READ, Endpoint.SERVERS, READ,
                    Endpoint.RESERVATION_UNITS, READ, Endpoint.TOPOLOGY, READ),
            "auditor", Map.of(
                    Endpoint.RESERVATIONS, READ, Endpoint.PLACEMENTS, READ, Endpoint.SERVERS, READ,
                    Endpoint.RESERVATION_UNITS, READ, Endpoint.TOPOLOGY, READ));

    @Test
    void theTableCoversEveryRole() {
        assertThat(TABLE.keySet()).containsExactlyInAnyOrderElementsOf(Roles.NAMES);
    }

    @Test
    void eachRoleBoundToAnOrganizationGrantsExactlyItsOperationsThere() {
        List<String> failures = new ArrayList<>();
        for (String role : List.of("administrator", "user", "reader", "auditor")) {
            Acl acl = Acl.of(Roles.grants(role, Scope.ORGANIZATION, ORG, null));
            for (Endpoint endpoint : Endpoint.values()) {
                for (Operation operation : Operation.values()) {
                    boolean expected = TABLE.get(role).get(endpoint).contains(operation);
                    check(failures, role + " in its organization, " + endpoint + " " + operation,
                            acl.allows(endpoint, operation, ORG, PROJECT), expected);
                    check(failures, role + " in its organization, another project, " + endpoint + " " + operation,
                            acl.allows(endpoint, operation, ORG, OTHER_PROJECT), expected);
                    check(failures, role + " somewhere in its organization, " + endpoint + " " + operation,
                            acl.allowsSomewhereIn(endpoint, operation, ORG), expected);
                    check(failures, role + " in another organization, " + endpoint + " " + operation,
                            acl.allows(endpoint, operation, OTHER_ORG, PROJECT), false);
                    check(failures, role + " somewhere in another organization, " + endpoint + " " + operation,
                            acl.allowsSomewhereIn(endpoint, operation, OTHER_ORG), false);
                }
            }
            assertThat(acl.platformAdministrator()).as(role).isFalse();
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void eachRoleBoundToAProjectGrantsOnlyInThatProject() {
        List<String> failures = new ArrayList<>();
        for (String role : List.of("administrator", "user", "reader", "auditor")) {
            Acl acl = Acl.of(Roles.grants(role, Scope.PROJECT, ORG, PROJECT));
            for (Endpoint endpoint : Endpoint.values()) {
                for (Operation operation : Operation.values()) {
                    boolean expected = TABLE.get(role).get(endpoint).contains(operation);
                    check(failures, role + " in its project, " + endpoint + " " + operation,
                            acl.allows(endpoint, operation, ORG, PROJECT), expected);
                    check(failures, role + " somewhere in its organization, " + endpoint + " " + operation,
                            acl.allowsSomewhereIn(endpoint, operation, ORG), expected);
                    check(failures, role + " in another project, " + endpoint + " " + operation,
                            acl.allows(endpoint, operation, ORG, OTHER_PROJECT), false);
                    check(failures, role + " at organization scope, " + endpoint + " " + operation,
                            acl.allows(endpoint, operation, ORG, null), false);
                    check(failures, role + " in the same project ID of another organization, " + endpoint + " "
                            + operation, acl.allows(endpoint, operation, OTHER_ORG, PROJECT), false);
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void platformAdministratorMayDoEverythingEverywhere() {
        Acl acl = Acl.of(Roles.grants("platform-administrator", Scope.GLOBAL, null, null));

        assertThat(acl.platformAdministrator()).isTrue();
        for (Endpoint endpoint : Endpoint.values()) {
            for (Operation operation : Operation.values()) {
                assertThat(acl.allows(endpoint, operation, ORG, PROJECT)).isTrue();
                assertThat(acl.allows(endpoint, operation, OTHER_ORG, OTHER_PROJECT)).isTrue();
                assertThat(acl.allowsSomewhereIn(endpoint, operation, OTHER_ORG)).isTrue();
                assertThat(acl.organizationsWith(endpoint, operation)).isNull();
            }
        }
    }

    @Test
    void grantsAreAtTheScopeTheBindingGives() {
        for (String role : List.of("administrator", "user", "reader", "auditor")) {
            List<Grant> grants = Roles.grants(role, Scope.PROJECT, ORG, PROJECT);
            assertThat(grants).as(role).isNotEmpty().allSatisfy(grant -> {
                assertThat(grant.scope()).isEqualTo(Scope.PROJECT);
                assertThat(grant.organizationId()).isEqualTo(ORG);
                assertThat(grant.projectId()).isEqualTo(PROJECT);
            });
            assertThat(grants.stream().map(Grant::endpoint)).as(role).containsExactlyInAnyOrder(Endpoint.values());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ORGANIZATION", "PROJECT"})
    void platformAdministratorIsBoundGloballyOnly(Scope scope) {
        assertThatThrownBy(() -> Roles.grants("platform-administrator", scope, ORG, PROJECT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("globally");
    }

    @ParameterizedTest
    @ValueSource(strings = {"admin", "Administrator", "owner", "", "platform-admin"})
    void unknownRolesAreRefusedNamingTheRoles(String role) {
        assertThatThrownBy(() -> Roles.grants(role, Scope.ORGANIZATION, ORG, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + role + "'")
                .hasMessageContaining("reader");
    }

    private static void check(List<String> failures, String what, boolean actual, boolean expected) {
        if (actual != expected) {
            failures.add(what + ": expected " + expected + " but was " + actual);
        }
    }
}
