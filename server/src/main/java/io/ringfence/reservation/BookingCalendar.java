package io.ringfence.reservation;

import io.ringfence.calendar.Booking;
import io.ringfence.calendar.Calendar;
import io.ringfence.calendar.CalendarAllocator;
import io.ringfence.calendar.CalendarDecision;
import io.ringfence.calendar.CalendarUnit;
import io.ringfence.calendar.Offering;
import io.ringfence.fleet.UnitType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * A capacity pool's calendar as the core's calendar allocator sees it: every undrained unit, every booking that has
 * not ended, in whole seconds (rounded outwards, so the core never sees a unit freer than it is). A unit that
 * cannot be taken right now (failed hosts, still being handed back) carries a one-second booking from now: a window
 * that starts now cannot use it, a later one can, and is given a healthy stand-in at its start if it is still
 * unusable then. Creates and offerings read the same calendar, so an offering is what a create accepts.
 */
@Component
public class BookingCalendar {

    private final ReservationStore reservations;
    private final CalendarProperties rules;

    public BookingCalendar(ReservationStore reservations, CalendarProperties rules) {
        this.reservations = reservations;
        this.rules = rules;
    }

    public CalendarProperties rules() {
        return rules;
    }

    /** The pool's calendar from {@code now}, as a create decides over it. */
    public Calendar of(UnitType type, Instant now) {
        return of(type, now, true);
    }

    /** The pool's bookings as they are, for showing: no unit is marked busy for the moment. */
    public Calendar view(UnitType type, Instant now) {
        return of(type, now, false);
    }

    /** The reservations booked in the pool between {@code from} and {@code until}, for showing. */
    public List<ReservationStore.PoolReservation> bookings(UnitType type, Instant from, Instant until) {
        return reservations.bookingsOfPool(type.id(), from, until);
    }

    private Calendar of(UnitType type, Instant now, boolean markBusyNow) {
        ReservationStore.PoolCalendar pool = reservations.poolCalendar(type.id(), now);
        long nowSecond = now.getEpochSecond();
        List<CalendarUnit> units = new ArrayList<>(pool.units().size());
        List<Booking> bookings = new ArrayList<>(pool.bookings().size() + 16);
        for (ReservationStore.PoolUnit unit : pool.units()) {
            units.add(new CalendarUnit(unit.domainId(), unit.podId(), unit.position()));
            if (markBusyNow && unit.busyNow()) {
                bookings.add(new Booking(unit.domainId(), nowSecond, nowSecond + 1));
            }
        }
        for (ReservationStore.PoolBooking booking : pool.bookings()) {
            long until = booking.until() == null ? Calendar.FOREVER : booking.until();
            if (until > booking.from()) {
                bookings.add(new Booking(booking.domainId(), booking.from(), until));
            }
        }
        return Calendar.of(units, bookings);
    }

    /** Where {@code count} units fit over the window, or why not (with the earliest start that would fit). */
    public CalendarDecision decide(UnitType type, int count, BookingWindow window, Instant now) {
        Calendar calendar = of(type, now);
        long start = window.start().getEpochSecond();
        long end = window.end() == null ? Calendar.FOREVER : ceilSeconds(window.end().plus(rules.turnaround()));
        return CalendarAllocator.decide(calendar, count, start, end, horizonEnd(now));
    }

    /**
     * Up to {@code limit} windows of {@code duration} in which {@code count} units fit, the first at the earliest
     * instant at or after {@code earliestStart}; each offering's end is its start plus the duration (the turnaround
     * is held after it, as a booking holds it).
     */
    public List<Offering> offerings(UnitType type, int count, Duration duration, Instant earliestStart, int limit,
                                    Instant now) {
        Calendar calendar = of(type, now);
        long held = duration.plus(rules.turnaround()).toSeconds();
        List<Offering> found = CalendarAllocator.offerings(calendar, count, held,
                Math.max(earliestStart.getEpochSecond(), now.getEpochSecond()), horizonEnd(now), limit);
        return found.stream().map(o -> new Offering(o.podId(), o.start(), o.start() + duration.toSeconds())).toList();
    }

    /** The last instant a window may start at. */
    public long horizonEnd(Instant now) {
        return now.plus(rules.horizon()).getEpochSecond();
    }

    private static long ceilSeconds(Instant instant) {
        return instant.getNano() == 0 ? instant.getEpochSecond() : instant.getEpochSecond() + 1;
    }
}
