package io.ringfence.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringfence.planner.RollingWaves.Operation;
import io.ringfence.planner.RollingWaves.Server;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class RollingWavesTest {

    @Test
    void resolvesCountsAndPercentages() {
        assertThat(RollingWaves.resolveMaxUnavailable(null, 10)).isEqualTo(1);
        assertThat(RollingWaves.resolveMaxUnavailable("1", 10)).isEqualTo(1);
        assertThat(RollingWaves.resolveMaxUnavailable("25%", 10)).isEqualTo(3); // 2.5 rounds up
        assertThat(RollingWaves.resolveMaxUnavailable("1%", 10)).isEqualTo(1);
        assertThat(RollingWaves.resolveMaxUnavailable("50%", 8)).isEqualTo(4);
        assertThat(RollingWaves.resolveMaxUnavailable("100%", 7)).isEqualTo(7);
        assertThat(RollingWaves.resolveMaxUnavailable("0%", 7)).isEqualTo(1);
        assertThat(RollingWaves.resolveMaxUnavailable("00", 7)).isEqualTo(1);
        assertThat(RollingWaves.resolveMaxUnavailable("5", 3)).isEqualTo(5); // a count is taken as given
        assertThat(RollingWaves.resolveMaxUnavailable("999999999", 3)).isEqualTo(999_999_999);
    }

    @Test
    void acceptsWhatTheApiAccepts() {
        assertThat(List.of("1", "10", "00", "007", "1%", "100%", "999999999")).allMatch(RollingWaves::valid);
        assertThat(List.of("0", "0%", "101%", "05%", "1000000000", "-1", "1.5", " 1", "", "%"))
                .noneMatch(RollingWaves::valid);
        assertThat(RollingWaves.valid(null)).isFalse();
        assertThatThrownBy(() -> RollingWaves.resolveMaxUnavailable("two", 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RollingWaves.resolveMaxUnavailable("1", 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mapsStoredServerFields() {
        assertThat(Server.of("s", 0, true, null, "img-1", "img-2"))
                .isEqualTo(new Server("s", 0, true, false, Operation.NONE));
        assertThat(Server.of("s", 1, true, "reconcile", "img-2", "img-2"))
                .isEqualTo(new Server("s", 1, true, true, Operation.RECONCILE));
        assertThat(Server.of("s", 2, false, "stop", null, "img-2"))
                .isEqualTo(new Server("s", 2, false, false, Operation.OTHER));
    }

    private static final List<Server> SEVEN = List.of(
            new Server("s0", 0, true, false, Operation.RECONCILE),
            new Server("s1", 1, true, true, Operation.NONE),
            new Server("s2", 2, true, false, Operation.NONE),
            new Server("s3", 3, true, false, Operation.OTHER),
            new Server("s4", 4, true, false, Operation.NONE),
            new Server("s5", 5, false, false, Operation.NONE),
            new Server("s6", 6, true, false, Operation.NONE));

    @Test
    void startsDriftedIdleServersInOrdinalOrderUpToMaxUnavailable() {
        // s0 is in flight; s1 is current, s3 busy with a stop, s5 not created yet
        assertThat(RollingWaves.nextWave(SEVEN, 1)).isEmpty();
        assertThat(RollingWaves.nextWave(SEVEN, 2)).containsExactly("s2");
        assertThat(RollingWaves.nextWave(SEVEN, 3)).containsExactly("s2", "s4");
        assertThat(RollingWaves.nextWave(SEVEN, 10)).containsExactly("s2", "s4", "s6");
        assertThat(RollingWaves.nextWave(reversed(SEVEN), 3)).containsExactly("s2", "s4");
        assertThat(RollingWaves.inProgress(SEVEN)).isTrue();
    }

    @Test
    void aRolloutIsOverWhenEveryServerIsCurrentAndIdleOfReimages() {
        List<Server> done = List.of(new Server("a", 0, true, true, Operation.NONE),
                new Server("b", 1, true, true, Operation.OTHER));
        assertThat(RollingWaves.inProgress(done)).isFalse();
        assertThat(RollingWaves.nextWave(done, 2)).isEmpty();
        assertThat(RollingWaves.inProgress(List.of(new Server("a", 0, true, true, Operation.RECONCILE)))).isTrue();
        assertThat(RollingWaves.inProgress(List.of(new Server("a", 0, false, false, Operation.NONE)))).isTrue();
    }

    @Test
    void rejectsInvalidInput() {
        assertThatThrownBy(() -> RollingWaves.nextWave(SEVEN, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RollingWaves.nextWave(List.of(new Server("a", 0, true, false, Operation.NONE),
                new Server("a", 1, true, false, Operation.NONE)), 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RollingWaves.nextWave(List.of(new Server("a", 0, true, false, Operation.NONE),
                new Server("b", 0, true, false, Operation.NONE)), 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Server("a", -1, true, false, Operation.NONE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<Server> reversed(List<Server> servers) {
        List<Server> copy = new ArrayList<>(servers);
        Collections.reverse(copy);
        return copy;
    }
}
