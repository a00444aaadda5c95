package io.ringfence.reservation;

import static io.ringfence.testkit.Fixtures.DEMO_ORG;
import static io.ringfence.testkit.Fixtures.DEMO_PROJECT;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.support.RingfenceTestBase;
import io.ringfence.support.Reservations;
import io.ringfence.testkit.PlatformJournal;
import io.ringfence.work.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The reconciler's shared pass over many reservations ({@link ReservationProvisioner#reconcileAll}), driven by
 * hand against the real database and simulated platform while the service's own reconciler runs too: what it
 * passes over converges exactly as single passes would (reservations being prepared and one being deleted alike),
 * and each unit is prepared once and released once.
 */
class SharedPassTest extends RingfenceTestBase {

    private static final String REGION = "test-shared-pass";

    @Autowired
    ReservationProvisioner provisioner;

    @Test
    void aSharedPassConvergesPreparingAndDeletedReservationsAlike() throws Exception {
        String token = demoToken();
        List<String> live = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            live.add(Reservations.create(api, token, Reservations.body("shared-" + i, DEMO_ORG, DEMO_PROJECT, REGION,
                    1 + i % 2, List.of())).get("metadata").get("id").asString());
        }
        String deleting = Reservations.create(api, token, Reservations.body("shared-deleting", DEMO_ORG, DEMO_PROJECT,
                REGION, 1, List.of())).get("metadata").get("id").asString();
        assertThat(api.delete(token, "/api/v2/reservations/" + deleting).status()).isEqualTo(202);
        String unknown = "a0000000-0000-4000-8000-000000000000";
        try {
            List<String> ids = new ArrayList<>(live);
            ids.add(deleting);
            ids.add(unknown);

            Map<String, Outcome> first = provisioner.reconcileAll(ids);

            assertThat(first).containsEntry(unknown, Outcome.done());
            assertThat(first).containsKeys(live.toArray(String[]::new)).containsKey(deleting);
            if (first.get(deleting) instanceof Outcome.Yield yield) {
                assertThat(yield.reason()).matches("releasing units: 0/1 handed back");
            } else {
                assertThat(first.get(deleting)).isEqualTo(Outcome.done());
            }
            live.forEach(id -> {
                Outcome outcome = first.get(id);
                if (outcome instanceof Outcome.Yield yield) {
                    assertThat(yield.reason()).matches("preparing units: \\d/\\d ready");
                } else {
                    // the service's own reconciler may have finished it first
                    assertThat(outcome).isEqualTo(Outcome.done());
                }
            });

            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            Map<String, Outcome> now = first;
            while (!ids.stream().allMatch(id -> Outcome.done().equals(now.get(id)))) {
                assertThat(System.nanoTime()).as("the shared passes converge in 30 s").isLessThan(deadline);
                Thread.sleep(50);
                now.putAll(provisioner.reconcileAll(ids));
            }
            assertThat(api.get(token, "/api/v2/reservations/" + deleting).status()).isEqualTo(404);
            for (String id : live) {
                assertThat(api.get(token, "/api/v2/reservations/" + id).json().get("metadata")
                        .get("provisioningStatus").asString()).isEqualTo("provisioned");
            }
            Map<String, Integer> prepares = new HashMap<>();
            PlatformJournal.read(DATA_DIR.resolve("simulated-platform")).entries().stream()
                    .filter(e -> e.start() && e.kind().equals("prepare-unit") && live.contains(e.owner()))
                    .forEach(e -> prepares.merge(e.key(), 1, Integer::sum));
            // 5 reservations of 1, 2, 1, 2, 1 units: each unit prepared once, shared passes and single ones alike
            assertThat(prepares).hasSize(7);
            assertThat(prepares.values()).allMatch(n -> n == 1);
            List<PlatformJournal.Entry> releases = PlatformJournal.read(DATA_DIR.resolve("simulated-platform"))
                    .entries().stream()
                    .filter(e -> e.start() && e.kind().equals("release-unit") && e.owner().equals(deleting)).toList();
            assertThat(releases).hasSize(1);
        } finally {
            live.forEach(id -> assertThat(api.delete(token, "/api/v2/reservations/" + id).status()).isEqualTo(202));
            live.forEach(id -> Reservations.deleteIfPresent(api, token, id));
            Reservations.deleteIfPresent(api, token, deleting);
        }
    }
}
