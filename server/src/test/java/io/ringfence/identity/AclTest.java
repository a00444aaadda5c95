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
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Grants at global, organization and project scope, and the decisions an ACL makes from them. */
class AclTest {

    static final String ORG = "org-a";
    static final String OTHER_ORG = "org-b";
    static final String PROJECT = "project-1";
    static final String OTHER_PROJECT = "project-2";

    static Grant global(Endpoint endpoint, Operation... operations) {
        return new Grant(Scope.GLOBAL, null, null, endpoint, Set.of(operations));
    }

    static Grant organization(String org, Endpoint endpoint, Operation... operations) {
        return new Grant(Scope.ORGANIZATION, org, null, endpoint, Set.of(operations));
    }

    static Grant project(String org, String project, Endpoint endpoint, Operation... operations) {
        return new Grant(Scope.PROJECT, org, project, endpoint, Set.of(operations));
    }

    static Stream<Arguments> allowsTable() {
        Grant globalRead = global(Endpoint.RESERVATIONS, Operation.READ);
        Grant orgRead = organization(ORG, Endpoint.RESERVATIONS, Operation.READ);
        Grant projectCreate = project(ORG, PROJECT, Endpoint.RESERVATIONS, Operation.CREATE, Operation.READ);
        return Stream.of(
                // grant, endpoint, operation, organization, project, allowed
                Arguments.of(globalRead, Endpoint.RESERVATIONS, Operation.READ, ORG, PROJECT, true),
                Arguments.of(globalRead, Endpoint.RESERVATIONS, Operation.READ, OTHER_ORG, OTHER_PROJECT, true),
                Arguments.of(globalRead, Endpoint.RESERVATIONS, Operation.READ, null, null, true),
                Arguments.of(globalRead, Endpoint.RESERVATIONS, Operation.DELETE, ORG, PROJECT, false),
                Arguments.of(globalRead, Endpoint.PLACEMENTS, Operation.READ, ORG, PROJECT, false),
                Arguments.of(orgRead, Endpoint.RESERVATIONS, Operation.READ, ORG, PROJECT, true),
                Arguments.of(orgRead, Endpoint.RESERVATIONS, Operation.READ, ORG, OTHER_PROJECT, true),
                Arguments.of(orgRead, Endpoint.RESERVATIONS, Operation.READ, ORG, null, true),
                Arguments.of(orgRead, Endpoint.RESERVATIONS, Operation.READ, OTHER_ORG, PROJECT, false),
                Arguments.of(orgRead, Endpoint.RESERVATIONS, Operation.READ, null, PROJECT, false),
                Arguments.of(orgRead, Endpoint.RESERVATIONS, Operation.UPDATE, ORG, PROJECT, false),
                Arguments.of(orgRead, Endpoint.TOPOLOGY, Operation.READ, ORG, PROJECT, false),
                Arguments.of(projectCreate, Endpoint.RESERVATIONS, Operation.CREATE, ORG, PROJECT, true),
                Arguments.of(projectCreate, Endpoint.RESERVATIONS, Operation.READ, ORG, PROJECT, true),
                Arguments.of(projectCreate, Endpoint.RESERVATIONS, Operation.DELETE, ORG, PROJECT, false),
                Arguments.of(projectCreate, Endpoint.RESERVATIONS, Operation.CREATE, ORG, OTHER_PROJECT, false),
                Arguments.of(projectCreate, Endpoint.RESERVATIONS, Operation.CREATE, ORG, null, false),
                // the same project ID in another organization is another project
                Arguments.of(projectCreate, Endpoint.RESERVATIONS, Operation.CREATE, OTHER_ORG, PROJECT, false),
                Arguments.of(projectCreate, Endpoint.SERVERS, Operation.CREATE, ORG, PROJECT, false));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1} {2} in {3}/{4}: {5}")
    @MethodSource("allowsTable")
    void allowsDecidesByEndpointOperationAndScope(Grant grant, Endpoint endpoint, Operation operation,
                                                  String organization, String project, boolean allowed) {
        assertThat(new Acl(List.of(grant)).allows(endpoint, operation, organization, project)).isEqualTo(allowed);
    }

    static Stream<Arguments> somewhereInTable() {
        Grant globalRead = global(Endpoint.TOPOLOGY, Operation.READ);
        Grant orgRead = organization(ORG, Endpoint.TOPOLOGY, Operation.READ);
        Grant projectRead = project(ORG, PROJECT, Endpoint.TOPOLOGY, Operation.READ);
        return Stream.of(
                Arguments.of(globalRead, Endpoint.TOPOLOGY, Operation.READ, ORG, true),
                Arguments.of(globalRead, Endpoint.TOPOLOGY, Operation.READ, OTHER_ORG, true),
                Arguments.of(globalRead, Endpoint.TOPOLOGY, Operation.CREATE, ORG, false),
                Arguments.of(orgRead, Endpoint.TOPOLOGY, Operation.READ, ORG, true),
                Arguments.of(orgRead, Endpoint.TOPOLOGY, Operation.READ, OTHER_ORG, false),
                Arguments.of(orgRead, Endpoint.RESERVATION_UNITS, Operation.READ, ORG, false),
                Arguments.of(projectRead, Endpoint.TOPOLOGY, Operation.READ, ORG, true),
                Arguments.of(projectRead, Endpoint.TOPOLOGY, Operation.READ, OTHER_ORG, false),
                Arguments.of(projectRead, Endpoint.TOPOLOGY, Operation.UPDATE, ORG, false));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1} {2} somewhere in {3}: {4}")
    @MethodSource("somewhereInTable")
    void allowsSomewhereInCountsProjectGrantsOfTheOrganization(Grant grant, Endpoint endpoint, Operation operation,
                                                               String organization, boolean allowed) {
        assertThat(new Acl(List.of(grant)).allowsSomewhereIn(endpoint, operation, organization)).isEqualTo(allowed);
    }

    @Test
    void theEmptyAclAllowsNothing() {
        for (Endpoint endpoint : Endpoint.values()) {
            for (Operation operation : Operation.values()) {
                assertThat(Acl.NONE.allows(endpoint, operation, ORG, PROJECT)).isFalse();
                assertThat(Acl.NONE.allowsSomewhereIn(endpoint, operation, ORG)).isFalse();
                assertThat(Acl.NONE.allowsGlobally(endpoint, operation)).isFalse();
                assertThat(Acl.NONE.organizationsWith(endpoint, operation)).isEmpty();
            }
        }
        assertThat(Acl.NONE.platformAdministrator()).isFalse();
    }

    @Test
    void organizationsWithListsEveryOrganizationHoldingTheOperation() {
        Acl acl = new Acl(List.of(
                organization(ORG, Endpoint.RESERVATIONS, Operation.READ),
                project(OTHER_ORG, PROJECT, Endpoint.RESERVATIONS, Operation.READ, Operation.CREATE),
                organization("org-c", Endpoint.RESERVATIONS, Operation.CREATE),
                organization("org-d", Endpoint.PLACEMENTS, Operation.READ)));

        assertThat(acl.organizationsWith(Endpoint.RESERVATIONS, Operation.READ)).containsExactlyInAnyOrder(ORG, OTHER_ORG);
        assertThat(acl.organizationsWith(Endpoint.RESERVATIONS, Operation.CREATE))
                .containsExactlyInAnyOrder(OTHER_ORG, "org-c");
        assertThat(acl.organizationsWith(Endpoint.PLACEMENTS, Operation.READ)).containsExactly("org-d");
        assertThat(acl.organizationsWith(Endpoint.RESERVATIONS, Operation.DELETE)).isEmpty();
    }

    @Test
    void organizationsWithIsNullForEveryOrganizationWhenGrantedGlobally() {
        Acl acl = new Acl(List.of(organization(ORG, Endpoint.RESERVATIONS, Operation.READ),
                global(Endpoint.RESERVATIONS, Operation.READ)));

        assertThat(acl.organizationsWith(Endpoint.RESERVATIONS, Operation.READ)).isNull();
        assertThat(acl.organizationsWith(Endpoint.RESERVATIONS, Operation.CREATE)).isEmpty();
        assertThat(acl.allowsGlobally(Endpoint.RESERVATIONS, Operation.READ)).isTrue();
        assertThat(acl.allowsGlobally(Endpoint.RESERVATIONS, Operation.CREATE)).isFalse();
    }

    @Test
    void onlyGlobalGrantsCountAsGlobal() {
        Acl everythingInOneOrganization = Acl.of(Roles.grants("administrator", Scope.ORGANIZATION, ORG, null));

        for (Endpoint endpoint : Endpoint.values()) {
            for (Operation operation : Operation.values()) {
                assertThat(everythingInOneOrganization.allowsGlobally(endpoint, operation)).isFalse();
            }
        }
        assertThat(everythingInOneOrganization.platformAdministrator()).isFalse();
    }

    @Test
    void platformAdministratorNeedsEveryOperationOnEveryEndpointGlobally() {
        List<Grant> all = new ArrayList<>();
        for (Endpoint endpoint : Endpoint.values()) {
            all.add(global(endpoint, Operation.values()));
        }
        assertThat(new Acl(all).platformAdministrator()).isTrue();

        for (int missing = 0; missing < all.size(); missing++) {
            List<Grant> partial = new ArrayList<>(all);
            Grant removed = partial.remove(missing);
            // everything but DELETE on that endpoint
            partial.add(global(removed.endpoint(), Operation.CREATE, Operation.READ, Operation.UPDATE));
            assertThat(new Acl(partial).platformAdministrator()).as("without DELETE on %s", removed.endpoint()).isFalse();
        }
        // global read everywhere is a reader, not an administrator
        List<Grant> readers = new ArrayList<>();
        for (Endpoint endpoint : Endpoint.values()) {
            readers.add(global(endpoint, Operation.READ));
        }
        assertThat(new Acl(readers).platformAdministrator()).isFalse();
    }

    @Test
    void grantsAddUp() {
        Acl read = new Acl(List.of(organization(ORG, Endpoint.PLACEMENTS, Operation.READ)));
        Acl create = new Acl(List.of(project(ORG, PROJECT, Endpoint.PLACEMENTS, Operation.CREATE)));
        Acl both = read.plus(create);

        assertThat(both.allows(Endpoint.PLACEMENTS, Operation.READ, ORG, OTHER_PROJECT)).isTrue();
        assertThat(both.allows(Endpoint.PLACEMENTS, Operation.CREATE, ORG, PROJECT)).isTrue();
        assertThat(both.allows(Endpoint.PLACEMENTS, Operation.CREATE, ORG, OTHER_PROJECT)).isFalse();
        assertThat(both.grants()).hasSize(2);
        assertThat(read.grants()).hasSize(1);
        assertThat(Acl.NONE.plus(Acl.NONE).grants()).isEmpty();
    }

    @Test
    void theAclKeepsItsOwnCopyOfTheGrants() {
        List<Grant> grants = new ArrayList<>(List.of(organization(ORG, Endpoint.RESERVATIONS, Operation.READ)));
        Acl acl = new Acl(grants);
        grants.add(global(Endpoint.RESERVATIONS, Operation.DELETE));

        assertThat(acl.allows(Endpoint.RESERVATIONS, Operation.DELETE, ORG, PROJECT)).isFalse();
        assertThatThrownBy(() -> acl.grants().add(global(Endpoint.RESERVATIONS, Operation.DELETE)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aGrantKeepsItsOwnCopyOfTheOperations() {
        Set<Operation> operations = EnumSet.of(Operation.READ);
        Grant grant = new Grant(Scope.ORGANIZATION, ORG, null, Endpoint.RESERVATIONS, operations);
        operations.add(Operation.DELETE);

        assertThat(grant.operations()).containsExactly(Operation.READ);
        assertThat(new Grant(Scope.GLOBAL, null, null, Endpoint.RESERVATIONS, Set.of()).operations()).isEmpty();
    }

    @Test
    void aGrantWithNoOperationsAllowsNothing() {
        Acl acl = new Acl(List.of(new Grant(Scope.GLOBAL, null, null, Endpoint.RESERVATIONS, Set.of())));
        for (Operation operation : Operation.values()) {
            assertThat(acl.allows(Endpoint.RESERVATIONS, operation, ORG, PROJECT)).isFalse();
        }
        assertThat(acl.organizationsWith(Endpoint.RESERVATIONS, Operation.READ)).isEmpty();
    }

    @Test
    void scopedGrantsMustNameWhereTheyApply() {
        assertThatThrownBy(() -> new Grant(Scope.ORGANIZATION, null, null, Endpoint.RESERVATIONS, Set.of(Operation.READ)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Grant(Scope.PROJECT, null, PROJECT, Endpoint.RESERVATIONS, Set.of(Operation.READ)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Grant(Scope.PROJECT, ORG, null, Endpoint.RESERVATIONS, Set.of(Operation.READ)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Grant(null, ORG, null, Endpoint.RESERVATIONS, Set.of(Operation.READ)))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Grant(Scope.ORGANIZATION, ORG, null, null, Set.of(Operation.READ)))
                .isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void endpointWireNamesRoundTrip(Endpoint endpoint) {
        assertThat(endpoint.wireName()).startsWith("reservation:");
        assertThat(Endpoint.fromWireName(endpoint.wireName())).isSameAs(endpoint);
    }

    @Test
    void endpointWireNamesAreExactlyTheUnikornOnes() {
        assertThat(Stream.of(Endpoint.values()).map(Endpoint::wireName)).containsExactly(
                "reservation:reservations", "reservation:placements", "reservation:placements/servers",
                "reservation:reservationunits", "reservation:topology");
        assertThat(Endpoint.fromWireName("compute:servers")).isNull();
        assertThat(Endpoint.fromWireName("Reservation:Reservations")).isNull();
        assertThat(Endpoint.fromWireName("reservation:reservations ")).isNull();
        assertThat(Endpoint.fromWireName(null)).isNull();
    }
}
