package io.ringfence.reservation;

import static io.ringfence.testkit.Fixtures.DEMO_ORG;
import static io.ringfence.testkit.Fixtures.DEMO_PROJECT;
import static io.ringfence.testkit.Fixtures.DOCS_REGION;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.support.Reservations;
import io.ringfence.support.RingfenceTestBase;
import io.ringfence.testkit.Await;
import io.ringfence.testkit.Fixtures;
import io.ringfence.testkit.RawHttp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The request from the public docs, verbatim, against the running service: answer shape and round trip. */
class DocsExampleTest extends RingfenceTestBase {

    static final String DOCS_REQUEST = """
            {"metadata":{"name":"gb300-nvl72","description":"Reserved accelerator units for training","tags":[{"name":"workload","value":"training"}]},
             "spec":{"organizationId":"%s","projectId":"%s","regionId":"%s","accelerator":"GB300","unit":"NVL72","count":2}}"""
            .formatted(Fixtures.DEMO_ORG, Fixtures.DEMO_PROJECT, Fixtures.DOCS_REGION);

    @Test
    void docsRequestIsAcceptedWithTheDocumentedBodyThenProvisionsListsAndDeletes() {
        String token = demoToken();
        JsonNode before = Reservations.unit(api, token, DOCS_REGION);

        RawHttp.Response created = api.post(token, "/api/v2/reservations", DOCS_REQUEST);
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        assertThat(created.header("Content-Type")).startsWith("application/json");
        JsonNode body = created.json();

        JsonNode metadata = body.get("metadata");
        String id = metadata.get("id").asString();
        assertThat(id).matches("^[a-f][0-9a-f]{7}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
        assertThat(metadata.get("name").asString()).isEqualTo("gb300-nvl72");
        assertThat(metadata.get("description").asString()).isEqualTo("Reserved accelerator units for training");
        assertThat(metadata.get("organizationId").asString()).isEqualTo(DEMO_ORG);
        assertThat(metadata.get("projectId").asString()).isEqualTo(DEMO_PROJECT);
        assertThat(metadata.get("creationTime").asString()).matches("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$");
        assertThat(metadata.get("createdBy").asString()).isEqualTo("ringfence-demo");
        assertThat(metadata.get("provisioningStatus").asString()).isEqualTo("pending");
        assertThat(metadata.get("healthStatus").asString()).isEqualTo("healthy");
        assertThat(metadata.get("tags").get(0).get("name").asString()).isEqualTo("workload");
        assertThat(metadata.get("tags").get(0).get("value").asString()).isEqualTo("training");
        assertThat(metadata.get("provisioningStatusDetail").get("reason").asString()).isEqualTo("Provisioning");
        assertThat(metadata.get("provisioningStatusDetail").get("message").asString()).isNotBlank();
        assertThat(metadata.get("healthStatusDetail").get("reason").asString()).isEqualTo("Healthy");
        assertThat(metadata.get("healthStatusDetail").get("message").asString()).isEqualTo("0/36 hosts are down");
        assertThat(metadata.has("deletionTime")).isFalse();

        JsonNode spec = body.get("spec");
        assertThat(spec.get("regionId").asString()).isEqualTo(DOCS_REGION);
        assertThat(spec.get("accelerator").asString()).isEqualTo("GB300");
        assertThat(spec.get("unit").asString()).isEqualTo("NVL72");
        assertThat(spec.get("count").asInt()).isEqualTo(2);
        assertThat(spec.has("organizationId")).isFalse();
        assertThat(spec.has("projectId")).isFalse();

        JsonNode status = body.get("status");
        assertThat(status.get("machineFlavorId").asString()).isEqualTo("g.72.gb300.pinned");
        assertThat(status.get("claimedUnitCount").asInt()).isEqualTo(2);
        assertThat(status.get("topologyHash").asString()).matches("^sha256:[0-9a-f]{64}$");
        assertThat(status.get("topologyObservedAt").asString()).matches("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$");
        JsonNode host = status.get("host");
        assertThat(host.get("cpus").asInt()).isEqualTo(144);
        assertThat(host.get("memory").asInt()).isEqualTo(960);
        assertThat(host.get("architecture").asString()).isEqualTo("aarch64");
        assertThat(host.get("gpu").get("vendor").asString()).isEqualTo("NVIDIA");
        assertThat(host.get("gpu").get("physicalCount").asInt()).isEqualTo(4);
        assertThat(host.get("gpu").get("memory").asInt()).isEqualTo(288);

        // the claim is visible in the catalog at once
        JsonNode during = Reservations.unit(api, token, DOCS_REGION);
        assertThat(during.get("availableUnitCount").asInt()).isEqualTo(before.get("availableUnitCount").asInt() - 2);
        assertThat(during.get("totalCount").asInt()).isEqualTo(before.get("totalCount").asInt());

        JsonNode provisioned = Reservations.awaitStatus(api, token, id, "provisioned");
        assertThat(provisioned.get("metadata").get("provisioningStatusDetail").get("reason").asString())
                .isEqualTo("Provisioned");
        assertThat(provisioned.get("status").get("topologyHash").asString())
                .isEqualTo(status.get("topologyHash").asString());

        RawHttp.Response list = api.get(token, "/api/v2/reservations");
        assertThat(list.status()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        list.json().forEach(r -> ids.add(r.get("metadata").get("id").asString()));
        assertThat(ids).contains(id).isSorted();

        RawHttp.Response deleted = api.delete(token, "/api/v2/reservations/" + id);
        assertThat(deleted.status()).isEqualTo(202);
        assertThat(deleted.text()).isEmpty();
        RawHttp.Response deleting = api.get(token, "/api/v2/reservations/" + id);
        if (deleting.status() == 200) {
            assertThat(deleting.json().get("metadata").get("provisioningStatus").asString()).isEqualTo("deprovisioning");
            assertThat(deleting.json().get("metadata").get("deletionTime").asString()).isNotBlank();
            // deleting again while it is being deleted is accepted again
            assertThat(api.delete(token, "/api/v2/reservations/" + id).status()).isIn(202, 404);
        }
        Await.until(() -> api.get(token, "/api/v2/reservations/" + id), r -> r.status() == 404, "deletion");
        RawHttp.Response gone = api.get(token, "/api/v2/reservations/" + id);
        assertThat(gone.json().get("error").asString()).isEqualTo("not_found");
        assertThat(api.delete(token, "/api/v2/reservations/" + id).status()).isEqualTo(404);

        JsonNode after = Reservations.unit(api, token, DOCS_REGION);
        assertThat(after.get("availableUnitCount").asInt()).isEqualTo(before.get("availableUnitCount").asInt());
    }

    @Test
    void catalogListsBothRegionsWithDerivedPerUnitTotals() {
        RawHttp.Response response = api.get(demoToken(), "/api/v2/reservation-units");
        assertThat(response.status()).isEqualTo(200);
        List<String> regions = new ArrayList<>();
        response.json().forEach(u -> regions.add(u.get("regionId").asString()));
        assertThat(regions).contains(DOCS_REGION, Fixtures.SECOND_REGION);

        JsonNode unit = Reservations.unit(api, demoToken(), DOCS_REGION);
        assertThat(unit.get("accelerator").asString()).isEqualTo("GB300");
        assertThat(unit.get("unit").asString()).isEqualTo("NVL72");
        assertThat(unit.get("machineFlavorId").asString()).isEqualTo("g.72.gb300.pinned");
        assertThat(unit.get("deviceTypeResourceClass").asString()).isEqualTo("GB300_HOST");
        assertThat(unit.get("hostsPerUnit").asInt()).isEqualTo(18);
        assertThat(unit.get("cpusPerUnit").asInt()).isEqualTo(2592);
        assertThat(unit.get("gpusPerUnit").asInt()).isEqualTo(72);
        assertThat(unit.get("gpuMemoryPerUnit").asInt()).isEqualTo(20736);
        assertThat(unit.get("memoryPerUnit").asInt()).isEqualTo(17280);
        assertThat(unit.get("totalCount").asInt()).isEqualTo(16);

        RawHttp.Response filtered = api.get(demoToken(), "/api/v2/reservation-units?accelerator=H100");
        assertThat(filtered.status()).isEqualTo(200);
        assertThat(filtered.json().size()).isZero();

        RawHttp.Response org = api.get(demoToken(), "/api/v2/organizations/" + DEMO_ORG + "/reservation-units");
        assertThat(org.status()).isEqualTo(200);
        assertThat(org.json().size()).isEqualTo(response.json().size());
        RawHttp.Response foreign = api.get(demoToken(), "/api/v2/organizations/" + Fixtures.OTHER_ORG
                + "/reservation-units");
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.json().get("error").asString()).isEqualTo("forbidden");
    }

    @Test
    void serviceDocumentsAreServed() {
        RawHttp.Response version = api.get(demoToken(), "/api/version");
        assertThat(version.status()).isEqualTo(200);
        assertThat(version.json().get("name").asString()).isEqualTo("ringfence");
        assertThat(version.json().get("version").asString()).isNotBlank();

        RawHttp.Response openapi = api.get(null, "/openapi.yaml");
        assertThat(openapi.status()).isEqualTo(200);
        assertThat(openapi.text()).startsWith("openapi: 3.0").contains("/api/v2/reservations/{reservationID}/units/release")
                .contains("/api/v2/placements/{placementID}/servers/{serverID}/reconcile").contains("/api/version");

        RawHttp.Response metadata = api.get(null, "/.well-known/openid-protected-resource");
        assertThat(metadata.status()).isEqualTo(200);
        assertThat(metadata.json().get("resource").asString()).isEqualTo(api.baseUrl());
        assertThat(metadata.json().get("authorization_servers").get(0).asString()).isEqualTo(api.baseUrl());
        assertThat(metadata.json().get("bearer_methods_supported").get(0).asString()).isEqualTo("header");
        assertThat(api.get(null, "/.well-known/oauth-protected-resource").json())
                .isEqualTo(metadata.json());

        RawHttp.Response health = api.get(null, "/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
    }
}
