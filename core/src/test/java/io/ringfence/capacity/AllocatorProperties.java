package io.ringfence.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The allocator's rules as properties over random fleets with random free units. */
class AllocatorProperties {

    @Property
    void grantsExactlyCountDistinctFreeUnitsInOnePod(@ForAll("snapshots") List<FreeUnit> free,
                                                    @ForAll @IntRange(min = 1, max = 20) int count) {
        Allocation allocation = Allocator.allocate(CapacitySnapshot.of(free), count);
        if (allocation instanceof Allocation.Granted granted) {
            assertThat(granted.unitIds()).hasSize(count).doesNotHaveDuplicates();
            Map<String, FreeUnit> byId = new HashMap<>();
            free.forEach(u -> byId.put(u.unitId(), u));
            for (String id : granted.unitIds()) {
                assertThat(byId).containsKey(id);
                assertThat(byId.get(id).podId()).isEqualTo(granted.podId());
            }
        }
    }

    @Property
    void refusesExactlyWhenNoPodHasEnoughAndReportsTheLargestPod(@ForAll("snapshots") List<FreeUnit> free,
                                                                @ForAll @IntRange(min = 1, max = 20) int count) {
        Map<String, Integer> perPod = perPod(free);
        int largest = perPod.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        Allocation allocation = Allocator.allocate(CapacitySnapshot.of(free), count);
        if (largest >= count) {
            assertThat(allocation).isInstanceOf(Allocation.Granted.class);
        } else {
            assertThat(allocation).isEqualTo(new Allocation.Insufficient(count, largest));
        }
    }

    @Property
    void picksTheBestFittingPod(@ForAll("snapshots") List<FreeUnit> free,
                                @ForAll @IntRange(min = 1, max = 20) int count) {
        Allocation allocation = Allocator.allocate(CapacitySnapshot.of(free), count);
        if (allocation instanceof Allocation.Granted granted) {
            Map<String, Integer> perPod = perPod(free);
            int smallestSufficient = perPod.values().stream().filter(n -> n >= count).mapToInt(Integer::intValue)
                    .min().orElseThrow();
            assertThat(perPod.get(granted.podId())).isEqualTo(smallestSufficient);
        }
    }

    @Property
    void takesAnAdjacentRunWhenThePodHasOne(@ForAll("snapshots") List<FreeUnit> free,
                                            @ForAll @IntRange(min = 1, max = 20) int count) {
        CapacitySnapshot snapshot = CapacitySnapshot.of(free);
        Allocation allocation = Allocator.allocate(snapshot, count);
        if (allocation instanceof Allocation.Granted granted) {
            CapacitySnapshot.PodFreeUnits pod = snapshot.pods().stream()
                    .filter(p -> p.podId().equals(granted.podId())).findFirst().orElseThrow();
            Map<String, Integer> position = new HashMap<>();
            pod.units().forEach(u -> position.put(u.unitId(), u.position()));
            List<Integer> positions = granted.unitIds().stream().map(position::get).sorted().toList();
            int span = positions.get(positions.size() - 1) - positions.get(0);
            if (pod.longestRun() >= count) {
                assertThat(span).isEqualTo(count - 1);
            }
            // never wider than any other choice of count free units in that pod
            List<Integer> all = pod.units().stream().map(FreeUnit::position).toList();
            for (int i = 0; i + count <= all.size(); i++) {
                assertThat(span).isLessThanOrEqualTo(all.get(i + count - 1) - all.get(i));
            }
        }
    }

    @Property
    void isDeterministic(@ForAll("snapshots") List<FreeUnit> free, @ForAll @IntRange(min = 1, max = 20) int count) {
        List<FreeUnit> reversed = new ArrayList<>(free);
        java.util.Collections.reverse(reversed);
        assertThat(Allocator.allocate(CapacitySnapshot.of(reversed), count))
                .isEqualTo(Allocator.allocate(CapacitySnapshot.of(free), count));
    }

    @Property
    void catalogFiguresAddUp(@ForAll("podCounts") List<CatalogFigures.PodCounts> pods) {
        CatalogFigures figures = CatalogFigures.of(pods);
        assertThat(figures.totalCount()).isEqualTo(pods.stream().mapToInt(CatalogFigures.PodCounts::total).sum());
        assertThat(figures.availableUnitCount()).isEqualTo(pods.stream().mapToInt(CatalogFigures.PodCounts::free).sum());
        assertThat(figures.largestContiguousUnitCount()).isLessThanOrEqualTo(figures.availableUnitCount());
        assertThat(figures.availableUnitCount()).isLessThanOrEqualTo(figures.totalCount());
    }

    @Provide
    Arbitrary<List<FreeUnit>> snapshots() {
        // up to 6 pods of up to 16 positions, each position free or not
        return Arbitraries.integers().between(1, 6).flatMap(pods ->
                Arbitraries.integers().between(1, 16).flatMap(positions ->
                        Arbitraries.of(true, false).list().ofSize(pods * positions).map(freeFlags -> {
                            List<FreeUnit> free = new ArrayList<>();
                            for (int p = 0; p < pods; p++) {
                                for (int d = 0; d < positions; d++) {
                                    if (freeFlags.get(p * positions + d)) {
                                        free.add(new FreeUnit("unit-" + p + "-" + d, "pod-" + p, d));
                                    }
                                }
                            }
                            return free;
                        })));
    }

    @Provide
    Arbitrary<List<CatalogFigures.PodCounts>> podCounts() {
        return Combinators.combine(Arbitraries.integers().between(0, 32), Arbitraries.integers().between(0, 32))
                .as((a, b) -> new CatalogFigures.PodCounts(Math.max(a, b), Math.min(a, b))).list().ofMaxSize(10);
    }

    private static Map<String, Integer> perPod(List<FreeUnit> free) {
        Map<String, Integer> perPod = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (FreeUnit unit : free) {
            if (seen.add(unit.unitId())) {
                perPod.merge(unit.podId(), 1, Integer::sum);
            }
        }
        return perPod;
    }
}
