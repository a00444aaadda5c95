package io.ringfence.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.testkit.Await;
import io.ringfence.testkit.Fixtures;
import io.ringfence.testkit.RawHttp;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Steps shared by the placement tests. */
final class Placements {

    static final String DOCS_NETWORK = Fixtures.DOCS_NETWORK;

    private Placements() {
    }

    static String body(String name, String reservationId, int count, String constraints) {
        return """
                {"metadata":{"name":"%s","description":"Host placement for a training job","tags":[{"name":"workload","value":"training"}]},
                 "spec":{"reservationId":"%s","networkId":"%s",
                  "serverSpec":{"imageId":"ubuntu-24.04","sshCertificateAuthorityId":"00de8f3c-77d6-424a-93c3-baf9153c7f21","networking":{"securityGroups":["7ddfdbf0-bdbf-4630-9220-f1e6876f2dd0"]}},
                  "count":%d,"constraints":%s}}""".formatted(name, reservationId, DOCS_NETWORK, count, constraints);
    }

    static JsonNode awaitProvisioned(RawHttp api, String token, String id) {
        return Await.until(() -> api.get(token, "/api/v2/placements/" + id),
                r -> r.status() == 200 && r.json().get("metadata").get("provisioningStatus").asString().equals("provisioned"),
                "placement " + id + " to be provisioned").json();
    }

    static List<JsonNode> servers(RawHttp api, String token, String placementId) {
        RawHttp.Response response = api.get(token, "/api/v2/placements/" + placementId + "/servers");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        List<JsonNode> servers = new ArrayList<>();
        response.json().forEach(servers::add);
        return servers;
    }

    static JsonNode server(RawHttp api, String token, String placementId, String serverId) {
        RawHttp.Response response = api.get(token, "/api/v2/placements/" + placementId + "/servers/" + serverId);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    static JsonNode awaitServer(RawHttp api, String token, String placementId, String serverId,
                                java.util.function.Predicate<JsonNode> done, String what) {
        return Await.until(() -> server(api, token, placementId, serverId), done, what);
    }

    static void deleteAndAwaitGone(RawHttp api, String token, String id) {
        assertThat(api.delete(token, "/api/v2/placements/" + id).status()).isEqualTo(202);
        Await.until(() -> api.get(token, "/api/v2/placements/" + id).status(), s -> s == 404, "placement gone");
    }
}
