package io.ringfence.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The time score on small calendars where the right answer is plain. */
class CalendarAllocatorTest {

    private static final long DAY = 86_400;

    private static final List<CalendarUnit> ONE_POD = List.of(new CalendarUnit("fresh", "pod-a", 0),
            new CalendarUnit("busy", "pod-a", 1));

    @Test
    void takesTheUnitWhoseBookingEndsAsTheWindowStarts() {
        Calendar calendar = Calendar.of(ONE_POD, List.of(new Booking("busy", 0, 10 * DAY)));
        assertThat(CalendarAllocator.decide(calendar, 1, 10 * DAY, 20 * DAY, 20 * DAY))
                .isEqualTo(new CalendarDecision.Granted("pod-a", List.of("busy")));
        // blind to time, the leftmost free unit
        assertThat(CalendarAllocator.decide(calendar, 1, 10 * DAY, 20 * DAY, 20 * DAY,
                CalendarAllocator.Fit.SPACE_ONLY)).isEqualTo(new CalendarDecision.Granted("pod-a", List.of("fresh")));
    }

    @Test
    void takesTheUnitWhoseNextBookingBeginsAsTheWindowEnds() {
        Calendar calendar = Calendar.of(ONE_POD, List.of(new Booking("busy", 30 * DAY, Calendar.FOREVER)));
        assertThat(CalendarAllocator.decide(calendar, 1, 20 * DAY, 30 * DAY, 30 * DAY))
                .isEqualTo(new CalendarDecision.Granted("pod-a", List.of("busy")));
    }

    @Test
    void prefersATightPodToAnEmptierOneWhenTheGapsWeighMore() {
        // pod-a: two units free over the window, both untouched; pod-b: three free, one of which ends just before
        List<CalendarUnit> units = List.of(new CalendarUnit("a0", "pod-a", 0), new CalendarUnit("a1", "pod-a", 1),
                new CalendarUnit("b0", "pod-b", 0), new CalendarUnit("b1", "pod-b", 1),
                new CalendarUnit("b2", "pod-b", 2));
        Calendar calendar = Calendar.of(units, List.of(new Booking("b1", 0, 10 * DAY),
                new Booking("b1", 20 * DAY, 40 * DAY)));
        // pod-a: 2 x 0.3 d + 2 d of waste; pod-b: 3 x 0.3 d + 0 waste on b1
        assertThat(CalendarAllocator.decide(calendar, 1, 10 * DAY, 20 * DAY, 20 * DAY))
                .isEqualTo(new CalendarDecision.Granted("pod-b", List.of("b1")));
        assertThat(CalendarAllocator.decide(calendar, 1, 10 * DAY, 20 * DAY, 20 * DAY,
                CalendarAllocator.Fit.SPACE_ONLY)).isEqualTo(new CalendarDecision.Granted("pod-a", List.of("a0")));
    }

    @Test
    void insufficientNamesTheEarliestStartWithinTheHorizon() {
        Calendar calendar = Calendar.of(ONE_POD, List.of(new Booking("busy", 0, 10 * DAY)));
        assertThat(CalendarAllocator.decide(calendar, 2, 5 * DAY, 8 * DAY, 30 * DAY))
                .isEqualTo(new CalendarDecision.Insufficient(2, 1, OptionalLong.of(10 * DAY)));
        assertThat(CalendarAllocator.decide(calendar, 2, 5 * DAY, 8 * DAY, 9 * DAY))
                .isEqualTo(new CalendarDecision.Insufficient(2, 1, OptionalLong.empty()));
        assertThat(CalendarAllocator.offerings(calendar, 2, Calendar.FOREVER, 5 * DAY, 30 * DAY, 3))
                .containsExactly(new Offering("pod-a", 10 * DAY, Calendar.FOREVER));
    }

    @Test
    void latestEndStopsAtTheNextBookingAndRefusesUnknownUnits() {
        Calendar calendar = Calendar.of(ONE_POD, List.of(new Booking("busy", 30 * DAY, 40 * DAY)));
        assertThat(CalendarAllocator.latestEnd(calendar, List.of("fresh"), 0)).isEqualTo(Calendar.FOREVER);
        assertThat(CalendarAllocator.latestEnd(calendar, List.of("fresh", "busy"), 0)).isEqualTo(30 * DAY);
        assertThat(CalendarAllocator.latestEnd(calendar, List.of("busy"), 35 * DAY)).isEqualTo(35 * DAY);
        assertThatThrownBy(() -> CalendarAllocator.latestEnd(calendar, List.of("elsewhere"), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void openEndedCapacityLeavesOutUnitsBookedLater() {
        Calendar calendar = Calendar.of(ONE_POD, List.of(new Booking("busy", 30 * DAY, 40 * DAY)));
        assertThat(calendar.openEndedFrom(0)).isEqualTo(new Calendar.OpenEndedCapacity(1, 1));
        assertThat(calendar.openEndedFrom(40 * DAY)).isEqualTo(new Calendar.OpenEndedCapacity(2, 2));
        assertThat(calendar.freeOverTime("pod-a", 0)).containsExactly(new Calendar.FreeStep(0, 2),
                new Calendar.FreeStep(30 * DAY, 1), new Calendar.FreeStep(40 * DAY, 2));
    }
}
