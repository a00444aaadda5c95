package io.ringfence.reservation;

import static io.ringfence.testkit.Fixtures.DEMO_ORG;
import static io.ringfence.testkit.Fixtures.DEMO_PROJECT;
import static io.ringfence.testkit.Fixtures.OTHER_ORG;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.support.Reservations;
import io.ringfence.support.RingfenceTestBase;
import io.ringfence.testkit.Fixtures;
import io.ringfence.testkit.RawHttp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** {@code Idempotency-Key}: a retried create returns the original reservation instead of a second one. */
class IdempotencyTest extends RingfenceTestBase {

    static final String REGION = Fixtures.SECOND_REGION;

    @Test
    void repeatedCreateReturnsTheOriginalAndADifferentBodyIs400() {
        String key = UUID.randomUUID().toString();
        String body = Reservations.body("retry-me", DEMO_ORG, DEMO_PROJECT, REGION, 1, List.of());
        RawHttp.Response first = create(demoToken(), key, body);
        assertThat(first.status()).isEqualTo(202);
        String id = first.json().get("metadata").get("id").asString();
        try {
            RawHttp.Response second = create(demoToken(), key, body);
            assertThat(second.status()).isEqualTo(202);
            assertThat(second.json().get("metadata").get("id").asString()).isEqualTo(id);

            RawHttp.Response different = create(demoToken(), key,
                    Reservations.body("retry-me", DEMO_ORG, DEMO_PROJECT, REGION, 2, List.of()));
            assertThat(different.status()).isEqualTo(400);
            assertThat(different.json().get("error_description").asString()).contains("Idempotency-Key");

            // keys are scoped to the caller: the same key from another client is a new request of its own
            RawHttp.Response other = create(otherToken(), key,
                    Reservations.body("retry-me", OTHER_ORG, Fixtures.OTHER_PROJECT, REGION, 1, List.of()));
            assertThat(other.status()).isEqualTo(202);
            assertThat(other.json().get("metadata").get("id").asString()).isNotEqualTo(id);
            Reservations.deleteAndAwaitGone(api, otherToken(), other.json().get("metadata").get("id").asString());
        } finally {
            Reservations.deleteAndAwaitGone(api, demoToken(), id);
        }
    }

    @Test
    void concurrentRetriesCreateOneReservation() throws Exception {
        String key = UUID.randomUUID().toString();
        String body = Reservations.body("racing-retry", DEMO_ORG, DEMO_PROJECT, REGION, 1, List.of());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<RawHttp.Response>> responses = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                responses.add(pool.submit(() -> {
                    start.await();
                    return create(demoToken(), key, body);
                }));
            }
            start.countDown();
            Set<String> ids = new HashSet<>();
            for (Future<RawHttp.Response> response : responses) {
                assertThat(response.get().status()).isEqualTo(202);
                ids.add(response.get().json().get("metadata").get("id").asString());
            }
            assertThat(ids).hasSize(1);
            long named = api.get(demoToken(), "/api/v2/reservations?regionID=" + REGION).json().valueStream()
                    .filter(r -> r.get("metadata").get("name").asString().equals("racing-retry")).count();
            assertThat(named).isEqualTo(1);
            Reservations.deleteAndAwaitGone(api, demoToken(), ids.iterator().next());
        } finally {
            pool.shutdownNow();
        }
    }

    private static RawHttp.Response create(String token, String key, String body) {
        return api.post(token, "/api/v2/reservations", body,
                Map.of("Content-Type", "application/json", "Idempotency-Key", key));
    }
}
