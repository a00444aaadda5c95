package io.ringfence.spares;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.ringfence.spares.SpareChooser.FleetUnit;
import io.ringfence.spares.SpareChooser.HeldUnit;
import io.ringfence.spares.SpareChooser.Spare;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** Spare choice over random pods with units in every state and a reservation holding some of them. */
class SpareChooserProperties {

    private static final int EXAMPLES = 1000;
    private static final int POSITIONS = 16;

    @Test
    void aSpareLiesInTheFailedUnitsPodAndIsHealthyUndrainedAndFree() {
        qt().withExamples(EXAMPLES).forAll(scenarios()).checkAssert(s -> {
            Optional<Spare> spare = SpareChooser.choose(s.failedUnitId(), s.claim(), s.fleet());
            spare.ifPresent(chosen -> {
                FleetUnit unit = s.fleet().stream().filter(u -> u.unitId().equals(chosen.unitId())).findFirst()
                        .orElseThrow();
                assertThat(unit.podId()).isEqualTo(s.failed().podId()).isEqualTo(chosen.podId());
                assertThat(unit.position()).isEqualTo(chosen.position());
                assertThat(unit.healthy()).isTrue();
                assertThat(unit.draining()).isFalse();
                assertThat(unit.claimed()).isFalse();
                assertThat(s.claim()).noneMatch(h -> h.unitId().equals(chosen.unitId()));
            });
        });
    }

    @Test
    void aSpareIsChosenWheneverOneQualifies() {
        qt().withExamples(EXAMPLES).forAll(scenarios()).checkAssert(s -> {
            boolean anyEligible = s.fleet().stream()
                    .anyMatch(u -> u.podId().equals(s.failed().podId()) && u.healthy() && !u.draining() && !u.claimed());
            assertThat(SpareChooser.choose(s.failedUnitId(), s.claim(), s.fleet()).isPresent()).isEqualTo(anyEligible);
        });
    }

    @Test
    void theChoiceIsTheNearestToTheHealthyHeldUnitsThenTheLowestPosition() {
        qt().withExamples(EXAMPLES).forAll(scenarios()).checkAssert(s -> {
            Optional<Spare> spare = SpareChooser.choose(s.failedUnitId(), s.claim(), s.fleet());
            // brute force: every qualifying unit, each with its distance, in (distance, position) order
            List<Spare> ranked = new ArrayList<>();
            for (FleetUnit u : s.fleet()) {
                if (u.podId().equals(s.failed().podId()) && u.healthy() && !u.draining() && !u.claimed()) {
                    int distance = Integer.MAX_VALUE;
                    for (HeldUnit h : s.claim()) {
                        if (h.healthy()) {
                            distance = Math.min(distance, Math.abs(h.position() - u.position()));
                        }
                    }
                    ranked.add(new Spare(u.unitId(), u.podId(), u.position(),
                            distance == Integer.MAX_VALUE ? 0 : distance));
                }
            }
            ranked.sort(Comparator.comparingInt(Spare::distance).thenComparingInt(Spare::position));
            assertThat(spare).isEqualTo(ranked.stream().findFirst());
            for (Spare other : ranked) {
                assertThat(spare.orElseThrow().distance()).isLessThanOrEqualTo(other.distance());
            }
            assertThat(spare.map(Spare::unitId)).isEqualTo(reservationProvisionerChoice(s));
        });
    }

    @Test
    void nothingIsReplacedUnlessTheUnitIsHeldAndFailing() {
        qt().withExamples(EXAMPLES).forAll(scenarios(), integers().between(0, 1000)).checkAssert((s, pick) -> {
            // any unit of the fleet, or one that does not exist
            String unitId = pick < s.fleet().size() * 4 / 5 ? s.fleet().get(pick % s.fleet().size()).unitId()
                    : "unit-elsewhere";
            boolean failing = s.claim().stream().anyMatch(h -> h.unitId().equals(unitId) && !h.healthy());
            if (!failing) {
                assertThat(SpareChooser.choose(unitId, s.claim(), s.fleet())).isEmpty();
            }
        });
    }

    @Test
    void theOrderOfTheInputsDoesNotMatter() {
        qt().withExamples(EXAMPLES).forAll(scenarios()).checkAssert(s -> {
            List<HeldUnit> claim = new ArrayList<>(s.claim());
            List<FleetUnit> fleet = new ArrayList<>(s.fleet());
            Collections.reverse(claim);
            Collections.reverse(fleet);
            assertThat(SpareChooser.choose(s.failedUnitId(), claim, fleet))
                    .isEqualTo(SpareChooser.choose(s.failedUnitId(), s.claim(), s.fleet()));
        });
    }

    /**
     * The choice as the reservation provisioner makes it today: the spare query (same pod, no failed hosts, not
     * draining, unclaimed, ordered by position), then the first minimum of (distance to the healthy claimed units,
     * or 0 without any; position).
     */
    private static Optional<String> reservationProvisionerChoice(Scenario s) {
        List<FleetUnit> spares = s.fleet().stream()
                .filter(u -> u.podId().equals(s.failed().podId()) && u.healthy() && !u.draining() && !u.claimed())
                .sorted(Comparator.comparingInt(FleetUnit::position)).toList();
        return spares.stream().min(Comparator.comparingInt((FleetUnit spare) -> s.claim().stream()
                        .filter(HeldUnit::healthy)
                        .mapToInt(c -> Math.abs(c.position() - spare.position())).min().orElse(0))
                .thenComparingInt(FleetUnit::position)).map(FleetUnit::unitId);
    }

    /** A fleet, a reservation's claim in one of its pods, and the failed unit of that claim. */
    record Scenario(String failedUnitId, List<HeldUnit> claim, List<FleetUnit> fleet) {
        HeldUnit failed() {
            return claim.stream().filter(h -> h.unitId().equals(failedUnitId)).findFirst().orElseThrow();
        }
    }

    /** What may stand at one position of a pod. */
    private record Slot(boolean present, boolean healthy, boolean draining, int owner) {
        static final int FREE = 0;
        static final int THIS_RESERVATION = 1;
    }

    private static Gen<Slot> slots() {
        // three in four positions hold a unit; one in four units has failed hosts, one in five drains;
        // a unit is free, held by the reservation or held by another, equally often
        return integers().between(0, 3).zip(integers().between(0, 3), integers().between(0, 4),
                integers().between(0, 2), (present, healthy, draining, owner) ->
                        new Slot(present > 0, healthy > 0, draining == 0, owner));
    }

    /** 1 to 4 pods of up to 16 positions; the reservation sits in one of them. */
    static Gen<Scenario> scenarios() {
        return integers().between(1, 4).flatMap(pods ->
                lists().of(slots()).ofSize(pods * POSITIONS).zip(integers().between(0, pods - 1),
                        integers().between(0, 10_000), booleans().all(), (slots, home, pick, shuffle) ->
                                scenario(pods, slots, home, pick, shuffle)));
    }

    private static Scenario scenario(int pods, List<Slot> generated, int home, int pick, boolean reversed) {
        List<Slot> slots = new ArrayList<>(generated);
        // the failed unit: one of the home pod's units, held by the reservation and with failed hosts
        List<Integer> homeUnits = new ArrayList<>();
        for (int i = 0; i < POSITIONS; i++) {
            if (slots.get(home * POSITIONS + i).present()) {
                homeUnits.add(i);
            }
        }
        int failedPosition = homeUnits.isEmpty() ? pick % POSITIONS : homeUnits.get(pick % homeUnits.size());
        Slot at = slots.get(home * POSITIONS + failedPosition);
        slots.set(home * POSITIONS + failedPosition, new Slot(true, false, at.draining(), Slot.THIS_RESERVATION));

        List<HeldUnit> claim = new ArrayList<>();
        List<FleetUnit> fleet = new ArrayList<>();
        for (int p = 0; p < pods; p++) {
            for (int i = 0; i < POSITIONS; i++) {
                Slot slot = slots.get(p * POSITIONS + i);
                if (!slot.present()) {
                    continue;
                }
                String id = "unit-" + p + "-" + i;
                boolean mine = slot.owner() == Slot.THIS_RESERVATION && p == home;
                fleet.add(new FleetUnit(id, "pod-" + p, i, slot.healthy(), slot.draining(), slot.owner() != Slot.FREE));
                if (mine) {
                    claim.add(new HeldUnit(id, "pod-" + p, i, slot.healthy()));
                }
            }
        }
        if (reversed) {
            Collections.reverse(fleet);
        }
        return new Scenario("unit-" + home + "-" + failedPosition, claim, fleet);
    }
}
