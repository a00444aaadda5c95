package io.ringfence.reservation;

import static io.ringfence.testkit.Fixtures.DOCS_REGION;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.capacity.FreeUnit;
import io.ringfence.fleet.FleetStore;
import io.ringfence.fleet.UnitType;
import io.ringfence.support.RingfenceTestBase;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A unit a reservation let go of is not free until the platform has it back: offered earlier, a new reservation
 * could claim it, and preparing it would fail because the platform still holds it for the old owner.
 */
class HandBackTest extends RingfenceTestBase {

    @Autowired
    ReservationStore reservations;
    @Autowired
    FleetStore fleet;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate transactions;

    @Test
    void aUnitStillBeingHandedBackIsNeitherAllocatedNorCountedAsFree() {
        UnitType pool = fleet.unitType(DOCS_REGION, "GB300", "NVL72").orElseThrow();
        transactions.executeWithoutResult(status -> {
            List<FreeUnit> before = reservations.freeUnits(pool.id());
            FreeUnit handedBack = before.get(0);
            // as a release or a swap leaves it: unclaimed, with its hand-back to the platform still to finish
            jdbc.sql("INSERT INTO unit_release (domain_id, reservation_id) VALUES (?, 'an-earlier-owner')")
                    .param(handedBack.unitId()).update();

            assertThat(reservations.freeUnits(pool.id())).hasSize(before.size() - 1)
                    .noneMatch(u -> u.unitId().equals(handedBack.unitId()));
            assertThat(fleet.podCapacities().stream().filter(p -> p.podId().equals(handedBack.podId()))
                    .mapToInt(FleetStore.PodCapacity::freeUnits).sum())
                    .isEqualTo(before.stream().filter(u -> u.podId().equals(handedBack.podId())).count() - 1);
            status.setRollbackOnly();
        });
    }
}
