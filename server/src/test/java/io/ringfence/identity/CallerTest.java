package io.ringfence.identity;

import io.ringfence.resource.Scoped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ringfence.error.ApiError;
import io.ringfence.error.ApiException;
import io.ringfence.identity.Acl.Endpoint;
import io.ringfence.identity.Acl.Grant;
import io.ringfence.identity.Acl.Operation;
import io.ringfence.identity.Acl.Scope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The caller's decisions: local grants first, the remote ACL per organization only when they do not suffice. */
class CallerTest {

    static final String ORG = "org-a";
    static final String OTHER_ORG = "org-b";
    static final String REMOTE_ORG = "org-r";
    static final String PROJECT = "project-1";
    static final String OTHER_PROJECT = "project-2";
    static final String OTHER_ORG_PROJECT = "project-b1";
    static final String REMOTE_PROJECT = "project-r1";

    record Thing(String organizationId, String projectId) implements Scoped {
    }

    /** A remote ACL source that answers from a table and counts what it was asked. */
    static final class CountingRemote implements Function<String, Acl> {
        final Map<String, Acl> answers = new HashMap<>();
        final List<String> asked = new ArrayList<>();

        CountingRemote answer(String organization, Acl acl) {
            answers.put(organization, acl);
            return this;
        }

        @Override
        public Acl apply(String organization) {
            asked.add(organization);
            Acl answer = answers.getOrDefault(organization, Acl.NONE);
            // as the identity service answers: the organization's grants and its projects
            return REMOTE_ORG.equals(organization) ? answer.placing(Map.of(REMOTE_ORG, List.of(REMOTE_PROJECT))) : answer;
        }
    }

    static Acl role(String role, String organization, String project) {
        Scope scope = project == null ? Scope.ORGANIZATION : Scope.PROJECT;
        return Acl.of(Roles.grants(role, scope, organization, project));
    }

    /** A caller whose local sources (the access file, say) place ORG's and OTHER_ORG's projects. */
    static Caller caller(Acl local, CountingRemote remote) {
        return new Caller("alice", "console", local.placing(Map.of(ORG, List.of(PROJECT, OTHER_PROJECT),
                OTHER_ORG, List.of(OTHER_ORG_PROJECT))), remote);
    }

    @Test
    void aGrantInOneOrganizationNeverReachesAProjectOfAnother() {
        CountingRemote remote = new CountingRemote();
        Caller administrator = caller(role("administrator", ORG, null), remote);
        for (Operation operation : Operation.values()) {
            assertThat(administrator.allows(Endpoint.RESERVATIONS, operation, ORG, PROJECT)).isTrue();
            assertThat(administrator.allows(Endpoint.RESERVATIONS, operation, ORG, OTHER_ORG_PROJECT)).isFalse();
            assertThat(administrator.allows(Endpoint.RESERVATIONS, operation, ORG, "nobody-knows")).isFalse();
        }
        assertThat(administrator.projectIn(ORG, PROJECT)).isTrue();
        assertThat(administrator.projectIn(OTHER_ORG, PROJECT)).isFalse();
        assertThat(administrator.projectIn(REMOTE_ORG, REMOTE_PROJECT)).isTrue();
    }

    @Test
    void aProjectTheSourcesPlaceInTwoOrganizationsIsPlacedInNeither() {
        Acl disputed = Acl.of(Roles.grants("administrator", Scope.ORGANIZATION, ORG, null))
                .placing(Map.of(ORG, List.of("disputed"), OTHER_ORG, List.of("disputed")));
        Caller caller = new Caller("alice", "console", disputed, organization -> Acl.NONE);
        assertThat(caller.projectIn(ORG, "disputed")).isFalse();
        assertThat(caller.allows(Endpoint.RESERVATIONS, Operation.READ, ORG, "disputed")).isFalse();
    }

    @Test
    void aGlobalGrantReadsWhatExistsButCreatesOnlyWhereTheProjectBelongs() {
        Caller operator = caller(Acl.of(Roles.grants("platform-administrator", Scope.GLOBAL, null, null)),
                new CountingRemote());
        assertThat(operator.allows(Endpoint.RESERVATIONS, Operation.READ, OTHER_ORG, PROJECT)).isTrue();
        assertThat(operator.allows(Endpoint.RESERVATIONS, Operation.DELETE, OTHER_ORG, PROJECT)).isTrue();
        assertThat(operator.allows(Endpoint.RESERVATIONS, Operation.CREATE, OTHER_ORG, PROJECT)).isFalse();
        assertThat(operator.allows(Endpoint.RESERVATIONS, Operation.CREATE, ORG, PROJECT)).isTrue();
    }

    @Test
    void subjectAndClientAreKept() {
        Caller caller = new Caller("alice", "console", Acl.NONE, o -> Acl.NONE);
        assertThat(caller.subject()).isEqualTo("alice");
        assertThat(caller.clientId()).isEqualTo("console");

        Caller client = new Caller("ringfence-operator", Acl.NONE);
        assertThat(client.subject()).isEqualTo("ringfence-operator");
        assertThat(client.clientId()).isEqualTo("ringfence-operator");
    }

    @Test
    void localGrantsDecideWithoutAskingTheRemoteAcl() {
        CountingRemote remote = new CountingRemote();
        Caller caller = caller(role("user", ORG, PROJECT), remote);

        assertThat(caller.allows(Endpoint.RESERVATIONS, Operation.CREATE, ORG, PROJECT)).isTrue();
        assertThat(caller.allowsSomewhereIn(Endpoint.TOPOLOGY, Operation.READ, ORG)).isTrue();
        caller.requireSomewhereIn(Endpoint.RESERVATION_UNITS, Operation.READ, ORG);

        assertThat(remote.asked).isEmpty();
    }

    @Test
    void theRemoteAclIsAskedOncePerOrganizationWhenLocalGrantsDoNotSuffice() {
        CountingRemote remote = new CountingRemote()
                .answer(REMOTE_ORG, role("reader", REMOTE_ORG, null));
        Caller caller = caller(role("user", ORG, PROJECT), remote);

        assertThat(caller.allows(Endpoint.RESERVATIONS, Operation.READ, REMOTE_ORG, REMOTE_PROJECT)).isTrue();
        assertThat(caller.allows(Endpoint.RESERVATIONS, Operation.DELETE, REMOTE_ORG, REMOTE_PROJECT)).isFalse();
        assertThat(caller.allowsSomewhereIn(Endpoint.TOPOLOGY, Operation.READ, REMOTE_ORG)).isTrue();
        assertThat(caller.allows(Endpoint.PLACEMENTS, Operation.READ, REMOTE_ORG, REMOTE_PROJECT)).isTrue();
        assertThat(remote.asked).containsExactly(REMOTE_ORG);

        // local grants in its own organization fall short for DELETE on topology: the remote is asked for ORG
        assertThat(caller.allows(Endpoint.TOPOLOGY, Operation.DELETE, ORG, PROJECT)).isFalse();
        assertThat(caller.allows(Endpoint.TOPOLOGY, Operation.UPDATE, ORG, PROJECT)).isFalse();
        assertThat(remote.asked).containsExactly(REMOTE_ORG, ORG);
    }

    @Test
    void theRemoteAclIsNeverAskedWithoutAnOrganization() {
        CountingRemote remote = new CountingRemote();
        Caller caller = caller(Acl.NONE, remote);

        assertThat(caller.allows(Endpoint.RESERVATIONS, Operation.READ, null, PROJECT)).isFalse();
        assertThat(caller.allowsSomewhereIn(Endpoint.RESERVATIONS, Operation.READ, null)).isFalse();
        assertThat(remote.asked).isEmpty();
    }

    @Test
    void localAndRemoteGrantsAddUp() {
        Acl remoteProject = Acl.of(List.of(new Grant(Scope.PROJECT, ORG, OTHER_PROJECT, Endpoint.PLACEMENTS,
                Set.of(Operation.CREATE))));
        CountingRemote remote = new CountingRemote().answer(ORG, remoteProject);
        Caller caller = caller(role("reader", ORG, null), remote);

        assertThat(caller.allows(Endpoint.PLACEMENTS, Operation.READ, ORG, OTHER_PROJECT)).isTrue();
        assertThat(caller.allows(Endpoint.PLACEMENTS, Operation.CREATE, ORG, OTHER_PROJECT)).isTrue();
        assertThat(caller.allows(Endpoint.PLACEMENTS, Operation.CREATE, ORG, PROJECT)).isFalse();
        assertThat(remote.asked).containsExactly(ORG);
    }

    @Test
    void aRemoteAclOfOneOrganizationGrantsNothingInAnother() {
        // a remote answer for REMOTE_ORG that (wrongly) speaks of OTHER_ORG grants nothing there
        Acl foreign = Acl.of(Roles.grants("administrator", Scope.ORGANIZATION, OTHER_ORG, null));
        CountingRemote remote = new CountingRemote().answer(REMOTE_ORG, foreign);
        Caller caller = caller(Acl.NONE, remote);

        assertThat(caller.allows(Endpoint.RESERVATIONS, Operation.READ, REMOTE_ORG, REMOTE_PROJECT)).isFalse();
        assertThat(caller.allows(Endpoint.RESERVATIONS, Operation.READ, OTHER_ORG, OTHER_ORG_PROJECT)).isFalse();
        assertThat(remote.asked).containsExactly(REMOTE_ORG, OTHER_ORG);
    }

    @Test
    void readableReturnsWhatTheCallerMayRead() {
        Thing mine = new Thing(ORG, PROJECT);
        Caller caller = caller(role("reader", ORG, PROJECT), new CountingRemote());

        assertThat(caller.readable(Optional.of(mine), Endpoint.RESERVATIONS)).isSameAs(mine);
    }

    @Test
    void readableAnswers404ForWhatIsAbsentOrUnreadable() {
        CountingRemote remote = new CountingRemote();
        Caller caller = caller(role("user", ORG, PROJECT), remote);

        for (Optional<Thing> found : List.of(Optional.<Thing>empty(), Optional.of(new Thing(ORG, OTHER_PROJECT)),
                Optional.of(new Thing(OTHER_ORG, OTHER_ORG_PROJECT)))) {
            ApiException e = catchThrowableOfType(ApiException.class,
                    () -> caller.readable(found, Endpoint.RESERVATIONS));
            assertThat(e).as("%s", found).isNotNull();
            assertThat(e.error()).isEqualTo(ApiError.NOT_FOUND);
            assertThat(e.error().status()).isEqualTo(404);
        }
        // nothing found: nothing to decide, so nothing to ask
        assertThat(remote.asked).containsExactly(ORG, OTHER_ORG);
    }

    @Test
    void readableAsksTheRemoteAclBeforeAnswering404() {
        CountingRemote remote = new CountingRemote().answer(REMOTE_ORG, role("reader", REMOTE_ORG, null));
        Caller caller = caller(Acl.NONE, remote);
        Thing theirs = new Thing(REMOTE_ORG, REMOTE_PROJECT);

        assertThat(caller.readable(Optional.of(theirs), Endpoint.SERVERS)).isSameAs(theirs);
        assertThat(remote.asked).containsExactly(REMOTE_ORG);
    }

    @Test
    void readableIsJudgedOnTheEndpointAsked() {
        Acl readsReservationsOnly = Acl.of(List.of(new Grant(Scope.ORGANIZATION, ORG, null, Endpoint.RESERVATIONS,
                Set.of(Operation.READ))));
        Caller caller = caller(readsReservationsOnly, new CountingRemote());
        Thing thing = new Thing(ORG, PROJECT);

        assertThat(caller.readable(Optional.of(thing), Endpoint.RESERVATIONS)).isSameAs(thing);
        assertThatThrownBy(() -> caller.readable(Optional.of(thing), Endpoint.PLACEMENTS))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.error()).isEqualTo(ApiError.NOT_FOUND));
    }

    @Test
    void permittedAnswers403ForWhatIsReadableButNotChangeable() {
        Thing thing = new Thing(ORG, PROJECT);
        Caller reader = caller(role("reader", ORG, null), new CountingRemote());
        Caller user = caller(role("user", ORG, PROJECT), new CountingRemote());

        for (Operation operation : List.of(Operation.CREATE, Operation.UPDATE, Operation.DELETE)) {
            assertThatThrownBy(() -> reader.permitted(thing, Endpoint.RESERVATIONS, operation))
                    .as("%s", operation)
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.error()).isEqualTo(ApiError.FORBIDDEN);
                        assertThat(e.error().status()).isEqualTo(403);
                    });
            assertThat(user.permitted(thing, Endpoint.RESERVATIONS, operation)).isSameAs(thing);
        }
        assertThat(reader.permitted(thing, Endpoint.RESERVATIONS, Operation.READ)).isSameAs(thing);
        // a user reads the topology but may not change it
        assertThatThrownBy(() -> user.permitted(thing, Endpoint.TOPOLOGY, Operation.UPDATE))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.error()).isEqualTo(ApiError.FORBIDDEN));
    }

    @Test
    void permittedConsultsTheRemoteAclWhenLocalGrantsFallShort() {
        Acl remoteDelete = Acl.of(List.of(new Grant(Scope.PROJECT, ORG, PROJECT, Endpoint.SERVERS,
                Set.of(Operation.DELETE))));
        CountingRemote remote = new CountingRemote().answer(ORG, remoteDelete);
        Caller caller = caller(role("reader", ORG, null), remote);
        Thing server = new Thing(ORG, PROJECT);

        assertThat(caller.permitted(server, Endpoint.SERVERS, Operation.DELETE)).isSameAs(server);
        assertThatThrownBy(() -> caller.permitted(new Thing(ORG, OTHER_PROJECT), Endpoint.SERVERS, Operation.DELETE))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.error()).isEqualTo(ApiError.FORBIDDEN));
        assertThat(remote.asked).containsExactly(ORG);
    }

    @Test
    void requireSomewhereInAnswers403WithoutAGrantInTheOrganization() {
        CountingRemote remote = new CountingRemote().answer(REMOTE_ORG,
                Acl.of(List.of(new Grant(Scope.PROJECT, REMOTE_ORG, REMOTE_PROJECT, Endpoint.TOPOLOGY, Set.of(Operation.READ)))));
        Caller caller = caller(role("user", ORG, PROJECT), remote);

        caller.requireSomewhereIn(Endpoint.TOPOLOGY, Operation.READ, ORG);
        caller.requireSomewhereIn(Endpoint.TOPOLOGY, Operation.READ, REMOTE_ORG);
        assertThatThrownBy(() -> caller.requireSomewhereIn(Endpoint.TOPOLOGY, Operation.READ, OTHER_ORG))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.error()).isEqualTo(ApiError.FORBIDDEN));
        assertThatThrownBy(() -> caller.requireSomewhereIn(Endpoint.TOPOLOGY, Operation.UPDATE, ORG))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.error()).isEqualTo(ApiError.FORBIDDEN));
        assertThat(remote.asked).containsExactlyInAnyOrder(REMOTE_ORG, OTHER_ORG, ORG);
    }

    @Test
    void readableOrganizationsWithoutNamesAreTheLocallyGrantedOnes() {
        CountingRemote remote = new CountingRemote().answer(REMOTE_ORG, role("reader", REMOTE_ORG, null));
        Acl local = role("user", ORG, PROJECT).plus(role("reader", OTHER_ORG, null));
        Caller caller = caller(local, remote);

        assertThat(caller.readableOrganizations(Endpoint.RESERVATIONS, null)).containsExactlyInAnyOrder(ORG, OTHER_ORG);
        // the remote ACL cannot be listed, so unnamed organizations are not asked about
        assertThat(remote.asked).isEmpty();
    }

    @Test
    void readableOrganizationsWithNamesAreTheNamedOnesTheCallerMayRead() {
        CountingRemote remote = new CountingRemote().answer(REMOTE_ORG, role("reader", REMOTE_ORG, null));
        Acl local = role("user", ORG, PROJECT).plus(role("reader", OTHER_ORG, null));
        Caller caller = caller(local, remote);

        assertThat(caller.readableOrganizations(Endpoint.RESERVATIONS, Set.of(ORG))).containsExactly(ORG);
        assertThat(caller.readableOrganizations(Endpoint.RESERVATIONS, Set.of(ORG, REMOTE_ORG, "org-x")))
                .containsExactlyInAnyOrder(ORG, REMOTE_ORG);
        assertThat(caller.readableOrganizations(Endpoint.RESERVATIONS, Set.of("org-x"))).isEmpty();
        assertThat(caller.readableOrganizations(Endpoint.RESERVATIONS, Set.of())).isEmpty();
    }

    @Test
    void readableOrganizationsAsksEachNamedOrganizationOnlyOnce() {
        CountingRemote remote = new CountingRemote().answer(REMOTE_ORG, role("reader", REMOTE_ORG, null));
        Caller caller = caller(Acl.NONE, remote);

        caller.readableOrganizations(Endpoint.PLACEMENTS, Set.of(REMOTE_ORG, "org-x"));
        caller.readableOrganizations(Endpoint.SERVERS, Set.of(REMOTE_ORG, "org-x"));
        caller.allows(Endpoint.PLACEMENTS, Operation.READ, REMOTE_ORG, REMOTE_PROJECT);

        assertThat(remote.asked).containsExactlyInAnyOrder(REMOTE_ORG, "org-x");
    }

    @Test
    void readableOrganizationsAreOnlyThoseReadableOnTheEndpoint() {
        Acl createsOnly = Acl.of(List.of(new Grant(Scope.ORGANIZATION, ORG, null, Endpoint.PLACEMENTS,
                Set.of(Operation.CREATE))));
        Caller caller = caller(createsOnly, new CountingRemote());

        assertThat(caller.readableOrganizations(Endpoint.PLACEMENTS, null)).isEmpty();
        assertThat(caller.readableOrganizations(Endpoint.PLACEMENTS, Set.of(ORG))).isEmpty();
    }

    @Test
    void aGlobalReaderReadsEveryOrganizationOrJustTheNamedOnes() {
        CountingRemote remote = new CountingRemote();
        Caller caller = caller(Acl.of(Roles.grants("platform-administrator", Scope.GLOBAL, null, null)), remote);

        assertThat(caller.readableOrganizations(Endpoint.RESERVATIONS, null)).isNull();
        assertThat(caller.readableOrganizations(Endpoint.RESERVATIONS, Set.of(ORG, "org-x")))
                .containsExactlyInAnyOrder(ORG, "org-x");
        assertThat(caller.platformAdministrator()).isTrue();
        assertThat(remote.asked).isEmpty();
    }

    @Test
    void platformAdministratorComesFromLocalGrantsOnly() {
        CountingRemote remote = new CountingRemote()
                .answer(ORG, Acl.of(Roles.grants("platform-administrator", Scope.GLOBAL, null, null)));
        Caller caller = caller(role("administrator", ORG, null), remote);

        assertThat(caller.platformAdministrator()).isFalse();
        assertThat(remote.asked).isEmpty();
    }
}
