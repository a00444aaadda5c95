package io.ringfence.spares;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringfence.spares.SpareChooser.FleetUnit;
import io.ringfence.spares.SpareChooser.HeldUnit;
import io.ringfence.spares.SpareChooser.Spare;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpareChooserTest {

    private static FleetUnit free(String pod, int position) {
        return new FleetUnit(pod + "-" + position, pod, position, true, false, false);
    }

    private static FleetUnit held(String pod, int position, boolean healthy) {
        return new FleetUnit(pod + "-" + position, pod, position, healthy, false, true);
    }

    @Test
    void takesTheSpareNearestToTheHealthyUnitsNotToTheFailedOne() {
        // the reservation holds a-2 and a-3 (healthy) and a-4 (failed); a-5 drains, a-1 has failed hosts
        List<HeldUnit> claim = List.of(new HeldUnit("a-2", "a", 2, true), new HeldUnit("a-3", "a", 3, true),
                new HeldUnit("a-4", "a", 4, false));
        List<FleetUnit> fleet = List.of(free("a", 0), new FleetUnit("a-1", "a", 1, false, false, false),
                held("a", 2, true), held("a", 3, true), held("a", 4, false),
                new FleetUnit("a-5", "a", 5, true, true, false), free("a", 6), free("a", 7));
        // a-0 is 2 from a-2; a-6 is 3 from a-3, although it is next but one to the failed a-4
        assertThat(SpareChooser.choose("a-4", claim, fleet)).contains(new Spare("a-0", "a", 0, 2));
    }

    @Test
    void breaksTiesByTheLowestPosition() {
        List<HeldUnit> claim = List.of(new HeldUnit("a-0", "a", 0, false), new HeldUnit("a-4", "a", 4, true));
        List<FleetUnit> fleet = List.of(held("a", 0, false), free("a", 6), free("a", 2), held("a", 4, true));
        assertThat(SpareChooser.choose("a-0", claim, fleet)).contains(new Spare("a-2", "a", 2, 2));
    }

    @Test
    void withoutHealthyUnitsEverySpareIsAtDistanceZeroAndTheLowestPositionWins() {
        List<HeldUnit> claim = List.of(new HeldUnit("a-5", "a", 5, false));
        List<FleetUnit> fleet = List.of(free("a", 6), free("a", 3), held("a", 5, false));
        assertThat(SpareChooser.choose("a-5", claim, fleet)).contains(new Spare("a-3", "a", 3, 0));
    }

    @Test
    void staysInThePodAndSkipsUnhealthyDrainingAndClaimedUnits() {
        List<HeldUnit> claim = List.of(new HeldUnit("a-1", "a", 1, false));
        List<FleetUnit> fleet = List.of(held("a", 1, false), free("b", 2),
                new FleetUnit("a-2", "a", 2, false, false, false), new FleetUnit("a-3", "a", 3, true, true, false),
                new FleetUnit("a-4", "a", 4, true, false, true));
        assertThat(SpareChooser.choose("a-1", claim, fleet)).isEmpty();
    }

    @Test
    void replacesNothingThatIsNotHeldOrNotFailing() {
        List<HeldUnit> claim = List.of(new HeldUnit("a-1", "a", 1, true));
        List<FleetUnit> fleet = List.of(held("a", 1, true), free("a", 2));
        assertThat(SpareChooser.choose("a-1", claim, fleet)).isEmpty();
        assertThat(SpareChooser.choose("a-2", claim, fleet)).isEmpty();
        assertThat(SpareChooser.choose("a-9", claim, fleet)).isEqualTo(Optional.empty());
    }

    @Test
    void rejectsInconsistentInput() {
        List<HeldUnit> claim = List.of(new HeldUnit("a-1", "a", 1, false));
        assertThatThrownBy(() -> SpareChooser.choose("a-1", claim, List.of(free("a", 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("held but not claimed");
        assertThatThrownBy(() -> SpareChooser.choose("a-1", claim,
                List.of(held("a", 1, false), free("a", 2), new FleetUnit("a-2b", "a", 2, true, false, false))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("share position");
        assertThatThrownBy(() -> SpareChooser.choose("a-1", List.of(claim.get(0), claim.get(0)), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> new HeldUnit("a-1", "a", -1, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FleetUnit(null, "a", 1, true, false, false))
                .isInstanceOf(NullPointerException.class);
    }
}
