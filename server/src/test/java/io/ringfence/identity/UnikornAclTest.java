package io.ringfence.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.identity.Acl.Endpoint;
import io.ringfence.identity.Acl.Grant;
import io.ringfence.identity.Acl.Operation;
import io.ringfence.identity.Acl.Scope;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Unikorn ACL shape, as a token's {@code acl} claim or the remote ACL endpoint carries it, read into grants. */
class UnikornAclTest {

    static final String ORG = "org-a";
    static final String PROJECT = "project-1";

    static Map<String, Object> scope(String name, Object operations) {
        Map<String, Object> scope = new HashMap<>();
        scope.put("name", name);
        scope.put("operations", operations);
        return scope;
    }

    @Test
    void organizationAndProjectScopesBecomeGrantsAtThoseScopes() {
        Map<String, Object> acl = Map.of(
                "superAdmin", false,
                "organization", Map.of("id", ORG, "scopes", List.of(
                        scope("reservation:reservations", List.of("read")),
                        scope("reservation:topology", List.of("read")))),
                "projects", List.of(
                        Map.of("id", PROJECT, "scopes", List.of(
                                scope("reservation:reservations", List.of("create", "read", "delete")),
                                scope("reservation:placements/servers", List.of("update")))),
                        Map.of("id", "project-2", "scopes", List.of(
                                scope("reservation:placements", List.of("create"))))));

        assertThat(UnikornAcl.parse(acl).grants()).containsExactlyInAnyOrder(
                new Grant(Scope.ORGANIZATION, ORG, null, Endpoint.RESERVATIONS, Set.of(Operation.READ)),
                new Grant(Scope.ORGANIZATION, ORG, null, Endpoint.TOPOLOGY, Set.of(Operation.READ)),
                new Grant(Scope.PROJECT, ORG, PROJECT, Endpoint.RESERVATIONS,
                        Set.of(Operation.CREATE, Operation.READ, Operation.DELETE)),
                new Grant(Scope.PROJECT, ORG, PROJECT, Endpoint.SERVERS, Set.of(Operation.UPDATE)),
                new Grant(Scope.PROJECT, ORG, "project-2", Endpoint.PLACEMENTS, Set.of(Operation.CREATE)));
    }

    @Test
    void theParsedAclDecidesAsTheClaimSays() {
        Acl acl = UnikornAcl.parse(Map.of(
                "organization", Map.of("id", ORG, "scopes", List.of(scope("reservation:reservations", List.of("read")))),
                "projects", List.of(Map.of("id", PROJECT, "scopes", List.of(
                        scope("reservation:reservations", List.of("create", "read", "delete")))))));

        assertThat(acl.allows(Endpoint.RESERVATIONS, Operation.READ, ORG, "elsewhere")).isTrue();
        assertThat(acl.allows(Endpoint.RESERVATIONS, Operation.CREATE, ORG, PROJECT)).isTrue();
        assertThat(acl.allows(Endpoint.RESERVATIONS, Operation.CREATE, ORG, "elsewhere")).isFalse();
        assertThat(acl.allows(Endpoint.RESERVATIONS, Operation.READ, "org-b", PROJECT)).isFalse();
        assertThat(acl.allows(Endpoint.RESERVATIONS, Operation.UPDATE, ORG, PROJECT)).isFalse();
        assertThat(acl.platformAdministrator()).isFalse();
    }

    @Test
    void superAdminIsPlatformAdministrator() {
        Acl acl = UnikornAcl.parse(Map.of("superAdmin", true));

        assertThat(acl.platformAdministrator()).isTrue();
        assertThat(acl.grants()).containsExactlyInAnyOrderElementsOf(
                Roles.grants("platform-administrator", Scope.GLOBAL, null, null));
    }

    @Test
    void superAdminAddsToTheOrganizationsGrants() {
        Acl acl = UnikornAcl.parse(Map.of("superAdmin", true,
                "organization", Map.of("id", ORG, "scopes", List.of(scope("reservation:topology", List.of("read"))))));

        assertThat(acl.platformAdministrator()).isTrue();
        assertThat(acl.grants()).contains(new Grant(Scope.ORGANIZATION, ORG, null, Endpoint.TOPOLOGY,
                Set.of(Operation.READ)));
    }

    @Test
    void operationNamesAreReadWhateverTheirCase() {
        Acl acl = UnikornAcl.parse(Map.of("organization", Map.of("id", ORG, "scopes",
                List.of(scope("reservation:placements", List.of("Create", "READ", "uPdAtE"))))));

        assertThat(acl.grants()).containsExactly(new Grant(Scope.ORGANIZATION, ORG, null, Endpoint.PLACEMENTS,
                Set.of(Operation.CREATE, Operation.READ, Operation.UPDATE)));
    }

    @Test
    void unknownOperationsGrantNothingButTheKnownOnesBesideThemStill() {
        Acl acl = UnikornAcl.parse(Map.of("organization", Map.of("id", ORG, "scopes", List.of(
                scope("reservation:reservations", List.of("list", "read", "*", "")),
                scope("reservation:topology", List.of("list", "patch"))))));

        assertThat(acl.grants()).containsExactly(new Grant(Scope.ORGANIZATION, ORG, null, Endpoint.RESERVATIONS,
                Set.of(Operation.READ)));
    }

    @Test
    void organizationIdsThatAreNotStringsAreTakenAsText() {
        Acl acl = UnikornAcl.parse(Map.of("organization", Map.of("id", 42, "scopes",
                        List.of(scope("reservation:reservations", List.of("read")))),
                "projects", List.of(Map.of("id", 7, "scopes", List.of(scope("reservation:topology", List.of("read")))))));

        assertThat(acl.allows(Endpoint.RESERVATIONS, Operation.READ, "42", "x")).isTrue();
        assertThat(acl.allows(Endpoint.TOPOLOGY, Operation.READ, "42", "7")).isTrue();
    }

    static Stream<Arguments> grantNothing() {
        Map<String, Object> nullSuperAdmin = new HashMap<>();
        nullSuperAdmin.put("superAdmin", null);
        Map<String, Object> nullOrganizationId = new HashMap<>();
        nullOrganizationId.put("id", null);
        nullOrganizationId.put("scopes", List.of(scope("reservation:reservations", List.of("read"))));
        Map<String, Object> nullName = new HashMap<>();
        nullName.put("name", null);
        nullName.put("operations", List.of("read"));
        return Stream.of(
                Arguments.of("no claim", null),
                Arguments.of("a string", "{\"superAdmin\":true}"),
                Arguments.of("a list", List.of(Map.of("superAdmin", true))),
                Arguments.of("a number", 1),
                Arguments.of("an empty object", Map.of()),
                Arguments.of("superAdmin as text", Map.of("superAdmin", "true")),
                Arguments.of("superAdmin as a number", Map.of("superAdmin", 1)),
                Arguments.of("superAdmin null", nullSuperAdmin),
                Arguments.of("superAdmin false", Map.of("superAdmin", false)),
                Arguments.of("organization not an object", Map.of("organization", ORG)),
                Arguments.of("organization without id", Map.of("organization",
                        Map.of("scopes", List.of(scope("reservation:reservations", List.of("read")))))),
                Arguments.of("organization id null", Map.of("organization", nullOrganizationId)),
                Arguments.of("projects without organization", Map.of("projects", List.of(Map.of("id", PROJECT,
                        "scopes", List.of(scope("reservation:reservations", List.of("read"))))))),
                Arguments.of("scopes not a list", Map.of("organization", Map.of("id", ORG,
                        "scopes", scope("reservation:reservations", List.of("read"))))),
                Arguments.of("scope entries not objects", Map.of("organization", Map.of("id", ORG,
                        "scopes", List.of("reservation:reservations", 3)))),
                Arguments.of("scope without name", Map.of("organization", Map.of("id", ORG,
                        "scopes", List.of(Map.of("operations", List.of("read")))))),
                Arguments.of("scope name null", Map.of("organization", Map.of("id", ORG, "scopes", List.of(nullName)))),
                Arguments.of("another service's endpoint", Map.of("organization", Map.of("id", ORG,
                        "scopes", List.of(scope("compute:servers", List.of("create", "read")))))),
                Arguments.of("endpoint name of another case", Map.of("organization", Map.of("id", ORG,
                        "scopes", List.of(scope("Reservation:Reservations", List.of("read")))))),
                Arguments.of("operations not a list", Map.of("organization", Map.of("id", ORG,
                        "scopes", List.of(scope("reservation:reservations", "read"))))),
                Arguments.of("operations missing", Map.of("organization", Map.of("id", ORG,
                        "scopes", List.of(Map.of("name", "reservation:reservations"))))),
                Arguments.of("operations empty", Map.of("organization", Map.of("id", ORG,
                        "scopes", List.of(scope("reservation:reservations", List.of()))))),
                Arguments.of("projects not a list", Map.of("organization", Map.of("id", ORG, "scopes", List.of()),
                        "projects", Map.of("id", PROJECT, "scopes",
                                List.of(scope("reservation:reservations", List.of("read")))))),
                Arguments.of("project without id", Map.of("organization", Map.of("id", ORG, "scopes", List.of()),
                        "projects", List.of(Map.of("scopes", List.of(scope("reservation:reservations", List.of("read"))))))),
                Arguments.of("project not an object", Map.of("organization", Map.of("id", ORG, "scopes", List.of()),
                        "projects", List.of(PROJECT))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("grantNothing")
    void malformedOrForeignShapesGrantNothing(String what, Object claim) {
        Acl acl = UnikornAcl.parse(claim);

        assertThat(acl.grants()).isEmpty();
        assertThat(acl.platformAdministrator()).isFalse();
    }

    @Test
    void aMalformedScopeSpoilsOnlyItself() {
        Acl acl = UnikornAcl.parse(Map.of("organization", Map.of("id", ORG, "scopes", List.of(
                "garbage",
                scope("reservation:reservations", "read"),
                scope("compute:servers", List.of("read")),
                scope("reservation:topology", List.of("read"))))));

        assertThat(acl.grants()).containsExactly(new Grant(Scope.ORGANIZATION, ORG, null, Endpoint.TOPOLOGY,
                Set.of(Operation.READ)));
    }
}
