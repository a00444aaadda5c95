package io.ringfence.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** The catalog's figures over random pods whose units are in random states. */
class CatalogFiguresProperties {

    private static final int EXAMPLES = 1000;

    /** One unit as the fleet query sees it. */
    private record Unit(boolean claimed, boolean unhealthy, boolean draining) {
        boolean free() {
            return !claimed && !unhealthy && !draining;
        }
    }

    /** A pod of units, and the pool (unit type) it belongs to. */
    private record Pod(int pool, List<Unit> units) {
        /** The counts the way the fleet query takes them. */
        CatalogFigures.PodCounts counts() {
            return new CatalogFigures.PodCounts(units.size(), (int) units.stream().filter(Unit::free).count(),
                    (int) units.stream().filter(Unit::claimed).count(),
                    (int) units.stream().filter(Unit::unhealthy).count(),
                    (int) units.stream().filter(Unit::draining).count());
        }
    }

    @Test
    void catalogFiguresAddUp() {
        qt().withExamples(EXAMPLES).forAll(pods()).checkAssert(pods -> {
            List<CatalogFigures.PodCounts> counts = pods.stream().map(Pod::counts).toList();
            CatalogFigures figures = CatalogFigures.of(counts);
            List<Unit> units = pods.stream().flatMap(p -> p.units().stream()).toList();
            assertThat(figures.totalCount()).isEqualTo(units.size())
                    .isEqualTo(counts.stream().mapToInt(CatalogFigures.PodCounts::total).sum());
            assertThat(figures.availableUnitCount()).isEqualTo(units.stream().filter(Unit::free).count())
                    .isEqualTo(counts.stream().mapToInt(CatalogFigures.PodCounts::free).sum());
            assertThat(figures.claimedUnitCount()).isEqualTo(units.stream().filter(Unit::claimed).count());
            assertThat(figures.unhealthyUnitCount()).isEqualTo(units.stream().filter(Unit::unhealthy).count());
            assertThat(figures.drainingUnitCount()).isEqualTo(units.stream().filter(Unit::draining).count());
            assertThat(figures.largestContiguousUnitCount()).isEqualTo(pods.stream()
                    .mapToInt(p -> (int) p.units().stream().filter(Unit::free).count()).max().orElse(0));
            assertThat(figures.largestContiguousUnitCount()).isLessThanOrEqualTo(figures.availableUnitCount());
            assertThat(figures.availableUnitCount()).isLessThanOrEqualTo(figures.totalCount());
            // a unit that is not available is claimed, unhealthy or draining, and those states may overlap
            assertThat(figures.availableUnitCount() + Math.max(figures.claimedUnitCount(),
                    Math.max(figures.unhealthyUnitCount(), figures.drainingUnitCount())))
                    .isLessThanOrEqualTo(figures.totalCount());
            assertThat(figures.availableUnitCount() + figures.claimedUnitCount() + figures.unhealthyUnitCount()
                    + figures.drainingUnitCount()).isGreaterThanOrEqualTo(figures.totalCount());
        });
    }

    @Test
    void theLargestFigureIsTheMostOneReservationCanGetNow() {
        qt().withExamples(EXAMPLES).forAll(pods()).checkAssert(pods -> {
            // the allocator's view of the same pods: their free units
            List<FreeUnit> free = new ArrayList<>();
            for (int p = 0; p < pods.size(); p++) {
                List<Unit> units = pods.get(p).units();
                for (int u = 0; u < units.size(); u++) {
                    if (units.get(u).free()) {
                        free.add(new FreeUnit("unit-" + p + "-" + u, "pod-" + p, u));
                    }
                }
            }
            CatalogFigures figures = CatalogFigures.of(pods.stream().map(Pod::counts).toList());
            CapacitySnapshot snapshot = CapacitySnapshot.of(free);
            assertThat(figures.largestContiguousUnitCount()).isEqualTo(snapshot.largestContiguous());
            assertThat(figures.availableUnitCount()).isEqualTo(snapshot.freeUnitCount());
            if (figures.largestContiguousUnitCount() > 0) {
                assertThat(Allocator.allocate(snapshot, figures.largestContiguousUnitCount()))
                        .isInstanceOf(Allocation.Granted.class);
            }
            assertThat(Allocator.allocate(snapshot, figures.largestContiguousUnitCount() + 1))
                    .isInstanceOf(Allocation.Insufficient.class);
        });
    }

    @Test
    void perPoolFiguresAreTheFiguresOfEachPoolsPods() {
        qt().withExamples(EXAMPLES).forAll(pods()).checkAssert(pods -> {
            Map<Integer, CatalogFigures> perPool = CatalogFigures.perPool(pods, Pod::pool, Pod::counts);
            assertThat(perPool.keySet()).containsExactlyElementsOf(pods.stream().map(Pod::pool).distinct().toList());
            perPool.forEach((pool, figures) -> assertThat(figures).isEqualTo(CatalogFigures.of(
                    pods.stream().filter(p -> p.pool() == pool).map(Pod::counts).toList())));
            assertThat(perPool.values().stream().mapToInt(CatalogFigures::totalCount).sum())
                    .isEqualTo(CatalogFigures.of(pods.stream().map(Pod::counts).toList()).totalCount());
        });
    }

    @Test
    void theOrderOfThePodsDoesNotMatter() {
        qt().withExamples(EXAMPLES).forAll(pods()).checkAssert(pods -> {
            List<CatalogFigures.PodCounts> counts = new ArrayList<>(pods.stream().map(Pod::counts).toList());
            CatalogFigures figures = CatalogFigures.of(counts);
            Collections.reverse(counts);
            assertThat(CatalogFigures.of(counts)).isEqualTo(figures);
        });
    }

    /**
     * Up to 10 pods of up to 32 units in up to 3 pools; about half the units are free, the others claimed,
     * unhealthy or draining in any combination.
     */
    private static Gen<List<Pod>> pods() {
        Gen<Unit> unit = integers().between(0, 15).map(v -> v < 8 ? new Unit(false, false, false)
                : new Unit((v & 1) != 0, (v & 2) != 0, (v & 4) != 0));
        Gen<Pod> pod = integers().between(0, 2).zip(lists().of(unit).ofSizeBetween(0, 32), Pod::new);
        return lists().of(pod).ofSizeBetween(0, 10);
    }
}
