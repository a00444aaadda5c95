package io.ringfence.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** The allocator's rules as properties over random fleets with random free units. */
class AllocatorProperties {

    private static final int EXAMPLES = 1000;

    @Test
    void grantsExactlyCountDistinctFreeUnitsInOnePod() {
        qt().withExamples(EXAMPLES).forAll(snapshots(), counts()).checkAssert((free, count) -> {
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
        });
    }

    @Test
    void refusesExactlyWhenNoPodHasEnoughAndReportsTheLargestPod() {
        qt().withExamples(EXAMPLES).forAll(snapshots(), counts()).checkAssert((free, count) -> {
            Map<String, Integer> perPod = perPod(free);
            int largest = perPod.values().stream().mapToInt(Integer::intValue).max().orElse(0);
            Allocation allocation = Allocator.allocate(CapacitySnapshot.of(free), count);
            if (largest >= count) {
                assertThat(allocation).isInstanceOf(Allocation.Granted.class);
            } else {
                assertThat(allocation).isEqualTo(new Allocation.Insufficient(count, largest));
            }
        });
    }

    @Test
    void picksTheBestFittingPod() {
        qt().withExamples(EXAMPLES).forAll(snapshots(), counts()).checkAssert((free, count) -> {
            Allocation allocation = Allocator.allocate(CapacitySnapshot.of(free), count);
            if (allocation instanceof Allocation.Granted granted) {
                Map<String, Integer> perPod = perPod(free);
                int smallestSufficient = perPod.values().stream().filter(n -> n >= count)
                        .mapToInt(Integer::intValue).min().orElseThrow();
                assertThat(perPod.get(granted.podId())).isEqualTo(smallestSufficient);
            }
        });
    }

    @Test
    void takesAnAdjacentRunWhenThePodHasOne() {
        qt().withExamples(EXAMPLES).forAll(snapshots(), counts()).checkAssert((free, count) -> {
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
        });
    }

    @Test
    void isDeterministic() {
        qt().withExamples(EXAMPLES).forAll(snapshots(), counts()).checkAssert((free, count) -> {
            List<FreeUnit> reversed = new ArrayList<>(free);
            Collections.reverse(reversed);
            assertThat(Allocator.allocate(CapacitySnapshot.of(reversed), count))
                    .isEqualTo(Allocator.allocate(CapacitySnapshot.of(free), count));
        });
    }

    /** Units requested: 1 to 20. */
    private static Gen<Integer> counts() {
        return integers().between(1, 20);
    }

    /** Up to 6 pods of up to 16 positions, each position free or not. */
    private static Gen<List<FreeUnit>> snapshots() {
        return integers().between(1, 6).flatMap(pods ->
                integers().between(1, 16).flatMap(positions ->
                        lists().of(booleans().all()).ofSize(pods * positions).map(freeFlags -> {
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
