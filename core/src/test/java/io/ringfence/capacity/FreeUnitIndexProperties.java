package io.ringfence.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The index against the allocator it stands in for: after any sequence of additions, removals and grants, it
 * decides what {@code Allocator.allocate(CapacitySnapshot.of(sameFreeSet), count)} decides.
 */
class FreeUnitIndexProperties {

    private static final int EXAMPLES = 1000;

    @Test
    void decidesAsTheAllocatorOverAnySequenceOfChanges() {
        qt().withExamples(EXAMPLES).forAll(fleets(), operations()).checkAssert((fleet, operations) -> {
            Map<String, FreeUnit> model = new HashMap<>();
            Random random = new Random(operations.get(0));
            for (FreeUnit unit : fleet) {
                if (random.nextBoolean()) {
                    model.put(unit.unitId(), unit);
                }
            }
            FreeUnitIndex index = FreeUnitIndex.of(new ArrayList<>(model.values()));
            for (int operation : operations) {
                Random choice = new Random(operation);
                int count = 1 + choice.nextInt(fleet.size() < 20 ? fleet.size() + 2 : 20);
                switch (operation % 5) {
                    case 0 -> {
                        List<FreeUnit> added = someOf(fleet, choice);
                        added.forEach(u -> model.put(u.unitId(), u));
                        index.add(added);
                    }
                    case 1 -> {
                        List<String> removed = someOf(fleet, choice).stream().map(FreeUnit::unitId).toList();
                        removed.forEach(model::remove);
                        index.remove(removed);
                    }
                    case 2 -> {
                        // a grant taken, as the service does after a create commits
                        if (index.allocate(count) instanceof Allocation.Granted granted) {
                            granted.unitIds().forEach(model::remove);
                            index.remove(granted.unitIds());
                        }
                    }
                    case 3 -> {
                        // a copy changes independently of its original
                        FreeUnitIndex copy = index.copy();
                        copy.remove(new ArrayList<>(model.keySet()));
                        assertThat(copy.allocate(1)).isEqualTo(new Allocation.Insufficient(1, 0));
                        index = random.nextBoolean() ? index : index.copy();
                    }
                    default -> {
                    }
                }
                assertThat(index.freeUnitCount()).isEqualTo(model.size());
                assertThat(index.allocate(count))
                        .isEqualTo(Allocator.allocate(CapacitySnapshot.of(model.values()), count));
            }
        });
    }

    @Test
    void decidesAGroupAsOneAfterAnotherAndLeavesTheIndexAsItWas() {
        qt().withExamples(EXAMPLES).forAll(fleets(), operations()).checkAssert((fleet, counts) -> {
            Random random = new Random(counts.get(0));
            List<FreeUnit> free = fleet.stream().filter(u -> random.nextInt(3) > 0).toList();
            FreeUnitIndex index = FreeUnitIndex.of(free);
            List<Integer> asked = counts.stream().map(c -> 1 + c % 9).toList();

            List<Allocation> decided = index.allocateEach(asked);

            // the same as deciding each and taking its grant out, on an index of the same free set
            FreeUnitIndex sequential = FreeUnitIndex.of(free);
            for (int i = 0; i < asked.size(); i++) {
                Allocation expected = sequential.allocate(asked.get(i));
                assertThat(decided.get(i)).isEqualTo(expected);
                if (expected instanceof Allocation.Granted granted) {
                    sequential.remove(granted.unitIds());
                }
            }
            // and nothing taken: the index decides as an untouched one
            assertThat(index.freeUnitCount()).isEqualTo(free.size());
            FreeUnitIndex untouched = FreeUnitIndex.of(free);
            for (int count = 1; count <= 10; count++) {
                assertThat(index.allocate(count)).isEqualTo(untouched.allocate(count));
            }
        });
    }

    @Test
    void refusesTwoUnitsAtOnePosition() {
        FreeUnitIndex index = FreeUnitIndex.of(List.of(new FreeUnit("a", "pod", 3)));
        assertThatThrownBy(() -> index.add(List.of(new FreeUnit("b", "pod", 3))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(index.allocate(1)).isEqualTo(new Allocation.Granted("pod", List.of("a")));
    }

    @Test
    void movesAUnitAddedAgainElsewhere() {
        FreeUnitIndex index = FreeUnitIndex.of(List.of(new FreeUnit("a", "pod-1", 3), new FreeUnit("b", "pod-1", 4)));
        index.add(List.of(new FreeUnit("a", "pod-2", 0)));
        assertThat(index.allocate(2)).isEqualTo(new Allocation.Insufficient(2, 1));
        assertThat(index.allocate(1)).isEqualTo(new Allocation.Granted("pod-1", List.of("b")));
    }

    /** Up to 6 pods of up to 16 positions: every unit the pool has, free or not. */
    private static Gen<List<FreeUnit>> fleets() {
        return integers().between(1, 6).zip(integers().between(1, 16), (pods, positions) -> {
            List<FreeUnit> fleet = new ArrayList<>();
            for (int p = 0; p < pods; p++) {
                for (int d = 0; d < positions; d++) {
                    fleet.add(new FreeUnit("unit-" + p + "-" + d, "pod-" + p, d));
                }
            }
            return fleet;
        });
    }

    /** Each operation's kind, units and count come from one number, so a failure reports a short list. */
    private static Gen<List<Integer>> operations() {
        return lists().of(integers().between(0, 1_000_000)).ofSizeBetween(1, 30);
    }

    private static List<FreeUnit> someOf(List<FreeUnit> fleet, Random random) {
        List<FreeUnit> some = new ArrayList<>();
        int density = 1 + random.nextInt(4);
        for (FreeUnit unit : fleet) {
            if (random.nextInt(density + 1) == 0) {
                some.add(unit);
            }
        }
        return some;
    }
}
