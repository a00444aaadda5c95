package io.ringfence.reservation;

import static io.ringfence.testkit.Fixtures.DEMO_ORG;
import static io.ringfence.testkit.Fixtures.DEMO_PROJECT;
import static io.ringfence.testkit.Fixtures.DOCS_REGION;
import static io.ringfence.testkit.Fixtures.OTHER_ORG;
import static io.ringfence.testkit.Fixtures.OTHER_PROJECT;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.support.Reservations;
import io.ringfence.support.RingfenceTestBase;
import io.ringfence.testkit.RawHttp;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One organization's reservations are invisible to another's administrator. */
class IsolationTest extends RingfenceTestBase {

    @Test
    void otherOrganizationCannotSeeListOrDeleteDemoReservations() {
        String id = Reservations.create(api, demoToken(),
                Reservations.body("private", DEMO_ORG, DEMO_PROJECT, DOCS_REGION, 1, List.of()))
                .get("metadata").get("id").asString();
        try {
            RawHttp.Response get = api.get(otherToken(), "/api/v2/reservations/" + id);
            assertThat(get.status()).isEqualTo(404);
            assertThat(get.json().get("error").asString()).isEqualTo("not_found");

            RawHttp.Response list = api.get(otherToken(), "/api/v2/reservations");
            assertThat(list.status()).isEqualTo(200);
            list.json().forEach(r -> assertThat(r.get("metadata").get("organizationId").asString()).isEqualTo(OTHER_ORG));
            assertThat(list.text()).doesNotContain(id);
            assertThat(api.get(otherToken(), "/api/v2/reservations?organizationID=" + DEMO_ORG).json().size()).isZero();

            RawHttp.Response delete = api.delete(otherToken(), "/api/v2/reservations/" + id);
            assertThat(delete.status()).isEqualTo(404);
            assertThat(api.get(demoToken(), "/api/v2/reservations/" + id).json().get("metadata")
                    .has("deletionTime")).isFalse();

            RawHttp.Response create = api.post(otherToken(), "/api/v2/reservations",
                    Reservations.body("intruder", DEMO_ORG, DEMO_PROJECT, DOCS_REGION, 1, List.of()));
            assertThat(create.status()).isEqualTo(403);
            assertThat(create.json().get("error").asString()).isEqualTo("forbidden");
        } finally {
            Reservations.deleteAndAwaitGone(api, demoToken(), id);
        }
    }

    @Test
    void otherOrganizationWorksInItsOwnOrganization() {
        String id = Reservations.create(api, otherToken(),
                Reservations.body("theirs", OTHER_ORG, OTHER_PROJECT, DOCS_REGION, 1, List.of()))
                .get("metadata").get("id").asString();
        try {
            assertThat(api.get(otherToken(), "/api/v2/reservations/" + id).status()).isEqualTo(200);
            assertThat(api.get(demoToken(), "/api/v2/reservations/" + id).status()).isEqualTo(404);
            assertThat(api.get(demoToken(), "/api/v2/reservations").text()).doesNotContain(id);
        } finally {
            Reservations.deleteAndAwaitGone(api, otherToken(), id);
        }
    }
}
