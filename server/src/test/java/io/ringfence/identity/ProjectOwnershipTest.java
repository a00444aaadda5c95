package io.ringfence.identity;

import static io.ringfence.testkit.Fixtures.DEMO_ORG;
import static io.ringfence.testkit.Fixtures.DEMO_PROJECT;
import static io.ringfence.testkit.Fixtures.DOCS_NETWORK;
import static io.ringfence.testkit.Fixtures.DOCS_REGION;
import static io.ringfence.testkit.Fixtures.OTHER_NETWORK;
import static io.ringfence.testkit.Fixtures.OTHER_ORG;
import static io.ringfence.testkit.Fixtures.OTHER_PROJECT;
import static io.ringfence.testkit.Fixtures.SECOND_REGION;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.support.Reservations;
import io.ringfence.support.RingfenceTestBase;
import io.ringfence.testkit.RawHttp;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A project belongs to exactly one organization, and every scope check takes the (organization, project) pair.
 * Tried from the attacker's side: an administrator of one organization names another organization's project,
 * then its network.
 */
class ProjectOwnershipTest extends RingfenceTestBase {

    /** The finding: a reservation in the attacker's organization but in the demo project, then the demo network. */
    @Test
    void anAdministratorCannotCreateInAnotherOrganizationsProject() {
        String name = "confused-" + UUID.randomUUID().toString().substring(0, 8);
        RawHttp.Response create = api.post(otherToken(), "/api/v2/reservations",
                Reservations.body(name, OTHER_ORG, DEMO_PROJECT, DOCS_REGION, 1, List.of()));
        assertThat(create.status()).as(create.toString()).isEqualTo(403);
        assertThat(create.json().get("error").asString()).isEqualTo("forbidden");
        // nothing was written: the platform administrator sees every reservation, and none has that name
        assertThat(api.get(operatorToken(), "/api/v2/reservations").text()).doesNotContain(name);
    }

    @Test
    void aProjectNoIdentitySourcePlacesAnywhereIsRefused() {
        String unknown = UUID.randomUUID().toString();
        RawHttp.Response create = api.post(otherToken(), "/api/v2/reservations",
                Reservations.body("unplaced", OTHER_ORG, unknown, DOCS_REGION, 1, List.of()));
        assertThat(create.status()).as(create.toString()).isEqualTo(403);
        // a global grant reads everything, but creates only where the project belongs
        RawHttp.Response byOperator = api.post(operatorToken(), "/api/v2/reservations",
                Reservations.body("unplaced", OTHER_ORG, unknown, DOCS_REGION, 1, List.of()));
        assertThat(byOperator.status()).as(byOperator.toString()).isEqualTo(403);
        RawHttp.Response misplaced = api.post(operatorToken(), "/api/v2/reservations",
                Reservations.body("misplaced", OTHER_ORG, DEMO_PROJECT, DOCS_REGION, 1, List.of()));
        assertThat(misplaced.status()).as(misplaced.toString()).isEqualTo(403);
    }

    /** The access file is the operator's word: a remote ACL answer that names a project elsewhere does not move it. */
    @Test
    void aRemoteAclCannotMoveAProjectTheAccessFilePlaces() {
        identity.acl("project-mover", """
                {"organization":{"id":"%s","scopes":[{"name":"reservation:reservations","operations":["create","read"]}]},
                 "projects":[{"id":"%s","scopes":[{"name":"reservation:reservations","operations":["create","read"]}]}]}"""
                .formatted(OTHER_ORG, DEMO_PROJECT));
        String token = identity.token("project-mover", "ringfence");
        RawHttp.Response create = api.post(token, "/api/v2/reservations",
                Reservations.body("moved", OTHER_ORG, DEMO_PROJECT, SECOND_REGION, 1, List.of()));
        assertThat(create.status()).as(create.toString()).isEqualTo(403);
    }

    /** A project the remote ACL endpoint places in the organization is usable there, and only there. */
    @Test
    void aRemoteAclPlacesItsOrganizationsProjects() {
        String project = "remote-" + UUID.randomUUID().toString().substring(0, 8);
        identity.acl("remote-admin", """
                {"organization":{"id":"%s","scopes":[{"name":"reservation:reservations","operations":["create","read","delete"]}]},
                 "projects":[{"id":"%s","scopes":[]}]}""".formatted(OTHER_ORG, project));
        String token = identity.token("remote-admin", "ringfence");
        RawHttp.Response create = api.post(token, "/api/v2/reservations",
                Reservations.body("remote-placed", OTHER_ORG, project, SECOND_REGION, 1, List.of()));
        assertThat(create.status()).as(create.toString()).isEqualTo(202);
        String id = create.json().get("metadata").get("id").asString();
        try {
            // the demo organization's administrator names that project in its own organization: refused
            assertThat(api.post(demoToken(), "/api/v2/reservations",
                    Reservations.body("borrowed", DEMO_ORG, project, SECOND_REGION, 1, List.of())).status())
                    .isEqualTo(403);
        } finally {
            Reservations.deleteAndAwaitGone(api, token, id);
        }
    }

    /** The network half of the finding: a network is checked against the reservation's organization and project. */
    @Test
    void serversAttachOnlyToTheirOwnPairsNetworks() {
        String id = Reservations.create(api, otherToken(),
                Reservations.body("own-network", OTHER_ORG, OTHER_PROJECT, DOCS_REGION, 1, List.of()))
                .get("metadata").get("id").asString();
        try {
            Reservations.awaitStatus(api, otherToken(), id, "provisioned");
            RawHttp.Response foreign = api.post(otherToken(), "/api/v2/placements", placement(id, DOCS_NETWORK));
            assertThat(foreign.status()).as(foreign.toString()).isEqualTo(404);
            assertThat(foreign.json().get("error").asString()).isEqualTo("not_found");
            RawHttp.Response own = api.post(otherToken(), "/api/v2/placements", placement(id, OTHER_NETWORK));
            assertThat(own.status()).as(own.toString()).isEqualTo(202);
        } finally {
            Reservations.deleteAndAwaitGone(api, otherToken(), id);
        }
    }

    /** Filters and organization views that name the other organization's project find nothing and leak nothing. */
    @Test
    void readsNamingAnotherOrganizationsProjectFindNothing() {
        String id = Reservations.create(api, demoToken(),
                Reservations.body("probed", DEMO_ORG, DEMO_PROJECT, DOCS_REGION, 1, List.of()))
                .get("metadata").get("id").asString();
        try {
            for (String query : List.of("projectID=" + DEMO_PROJECT, "organizationID=" + OTHER_ORG + "&projectID="
                    + DEMO_PROJECT, "organizationID=" + DEMO_ORG + "&projectID=" + DEMO_PROJECT)) {
                RawHttp.Response list = api.get(otherToken(), "/api/v2/reservations?" + query);
                assertThat(list.status()).isEqualTo(200);
                assertThat(list.text()).doesNotContain(id);
                RawHttp.Response placements = api.get(otherToken(), "/api/v2/placements?" + query);
                assertThat(placements.status()).isEqualTo(200);
                assertThat(placements.json().size()).isZero();
            }
            assertThat(api.get(otherToken(), "/api/v2/organizations/" + OTHER_ORG + "/topology?projectID="
                    + DEMO_PROJECT).text()).doesNotContain(id);
            assertThat(api.get(otherToken(), "/api/v2/organizations/" + DEMO_ORG + "/topology").status())
                    .isEqualTo(403);
            assertThat(api.get(otherToken(), "/api/v2/reservations/" + id).status()).isEqualTo(404);
        } finally {
            Reservations.deleteAndAwaitGone(api, demoToken(), id);
        }
    }

    private static String placement(String reservationId, String networkId) {
        return """
                {"metadata":{"name":"attach"},
                 "spec":{"reservationId":"%s","networkId":"%s",
                  "serverSpec":{"imageId":"ubuntu-24.04","sshCertificateAuthorityId":"00de8f3c-77d6-424a-93c3-baf9153c7f21",
                   "networking":{"securityGroups":["7ddfdbf0-bdbf-4630-9220-f1e6876f2dd0"]}},
                  "count":1,"constraints":{"policy":"pack","whenUnsatisfiable":"fail"}}}""".formatted(reservationId, networkId);
    }
}
