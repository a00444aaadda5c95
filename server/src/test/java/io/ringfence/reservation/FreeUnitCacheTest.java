package io.ringfence.reservation;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.capacity.FreeUnit;
import io.ringfence.capacity.FreeUnitIndex;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a cached free set may stand in for the database's. */
class FreeUnitCacheTest {

    private static final Instant READ = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant BOOKING_ENDS = Instant.parse("2026-01-01T11:00:00Z");

    private final FreeUnitCache cache = new FreeUnitCache();

    @Test
    void onlyUnderItsVersionAndBeforeAFiniteBookingEnds() {
        cache.loaded(1, new FreeUnitCache.Entry(7, index(), READ, BOOKING_ENDS, Map.of()));
        assertThat(cache.current(1, 7, READ)).isNotNull();
        assertThat(cache.current(1, 7, BOOKING_ENDS.minusNanos(1000))).isNotNull();
        assertThat(cache.current(1, 8, READ)).as("another version").isNull();
        assertThat(cache.current(2, 7, READ)).as("another pool").isNull();
        // at the booking's end its unit is free with no row changed
        assertThat(cache.current(1, 7, BOOKING_ENDS)).isNull();
        // a transaction that began before the read would still count a booking ended in between
        assertThat(cache.current(1, 7, READ.minusNanos(1000))).isNull();
    }

    @Test
    void aCreatesUnitsLeaveTheIndexOnlyOnceItsVersionShows() {
        FreeUnitIndex index = FreeUnitIndex.of(List.of(new FreeUnit("a", "pod", 0), new FreeUnit("b", "pod", 1)));
        cache.loaded(1, new FreeUnitCache.Entry(7, index, READ, null, Map.of()));
        cache.published(1, new FreeUnitCache.Entry(8, index, READ, null, List.of("a"), Map.of()));
        // the database still shows 7: the create rolled back (or has not committed); nothing is taken out
        assertThat(cache.current(1, 7, READ)).isNull();
        assertThat(index.contains("a")).isTrue();
        // version 8 shows: the create committed, its unit leaves the index, once
        FreeUnitCache.Entry settled = cache.current(1, 8, READ);
        assertThat(settled.index().contains("a")).isFalse();
        assertThat(settled.index().contains("b")).isTrue();
        assertThat(settled.withdrawing()).isEmpty();
        assertThat(cache.current(1, 8, READ).index().freeUnitCount()).isEqualTo(1);
    }

    private static FreeUnitIndex index() {
        return FreeUnitIndex.of(List.of(new FreeUnit("unit", "pod", 0)));
    }
}
