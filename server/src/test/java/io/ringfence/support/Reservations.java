package io.ringfence.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.testkit.Await;
import io.ringfence.testkit.RawHttp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import tools.jackson.databind.JsonNode;

/** Builders and steps for reservation tests. */
public final class Reservations {

    private Reservations() {
    }

    public static String body(String name, String organizationId, String projectId, String regionId, int count,
                              List<String[]> tags) {
        StringBuilder tagJson = new StringBuilder();
        for (String[] tag : tags) {
            if (!tagJson.isEmpty()) {
                tagJson.append(',');
            }
            tagJson.append("{\"name\":\"").append(tag[0]).append("\",\"value\":\"").append(tag[1]).append("\"}");
        }
        return """
                {"metadata":{"name":"%s","tags":[%s]},
                 "spec":{"organizationId":"%s","projectId":"%s","regionId":"%s","accelerator":"GB300","unit":"NVL72","count":%d}}"""
                .formatted(name, tagJson, organizationId, projectId, regionId, count);
    }

    public static JsonNode create(RawHttp api, String token, String body) {
        RawHttp.Response response = api.post(token, "/api/v2/reservations", body);
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        return response.json();
    }

    /**
     * Sends one create per body, each from its own thread, all released at the same instant: real concurrency
     * against the service. The answers come back in the order of {@code bodies}.
     */
    public static List<RawHttp.Response> createAtOnce(RawHttp api, String token, List<String> bodies)
            throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(bodies.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<RawHttp.Response>> sent = new ArrayList<>();
            for (String body : bodies) {
                sent.add(clients.submit(() -> {
                    start.await();
                    return api.post(token, "/api/v2/reservations", body);
                }));
            }
            start.countDown();
            List<RawHttp.Response> answers = new ArrayList<>();
            for (Future<RawHttp.Response> answer : sent) {
                answers.add(answer.get());
            }
            return answers;
        } finally {
            clients.shutdownNow();
        }
    }

    public static JsonNode awaitStatus(RawHttp api, String token, String id, String status) {
        return Await.until(() -> api.get(token, "/api/v2/reservations/" + id),
                r -> r.status() == 200 && status.equals(r.json().get("metadata").get("provisioningStatus").asString()),
                "reservation " + id + " to be " + status).json();
    }

    public static void deleteAndAwaitGone(RawHttp api, String token, String id) {
        RawHttp.Response response = api.delete(token, "/api/v2/reservations/" + id);
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        Await.until(() -> api.get(token, "/api/v2/reservations/" + id), r -> r.status() == 404,
                "reservation " + id + " to be gone");
    }

    /** Deletes the reservation unless it is already gone, and waits until it is. */
    public static void deleteIfPresent(RawHttp api, String token, String id) {
        RawHttp.Response response = api.delete(token, "/api/v2/reservations/" + id);
        assertThat(response.status()).as(response.toString()).isIn(202, 404);
        Await.until(() -> api.get(token, "/api/v2/reservations/" + id), r -> r.status() == 404,
                "reservation " + id + " to be gone");
    }

    public static JsonNode unit(RawHttp api, String token, String regionId) {
        RawHttp.Response response = api.get(token, "/api/v2/reservation-units?regionID=" + regionId);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().size()).isEqualTo(1);
        return response.json().get(0);
    }
}
