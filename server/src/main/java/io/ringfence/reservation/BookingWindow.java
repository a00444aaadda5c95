package io.ringfence.reservation;

import io.ringfence.error.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;

/**
 * When a new reservation holds its units, as asked and as the calendar's rules allow.
 *
 * @param askedStart the start as asked, to the second (null: none asked, it starts at its creation)
 * @param start when its booking begins: the asked start, or now for one that starts at once
 * @param end when it ends, to the second (null: open-ended)
 * @param startsNow whether it starts at its creation (no start, or a start up to 60 s in the past)
 */
public record BookingWindow(Instant askedStart, Instant start, Instant end, boolean startsNow) {

    /** How far in the past a start may be and still mean "now": clocks and clients are not exact. */
    static final Duration PAST_TOLERANCE = Duration.ofSeconds(60);

    /** The window of {@code startTime} and {@code endTime} (both optional), checked against the rules; 400 if not. */
    public static BookingWindow of(OffsetDateTime startTime, OffsetDateTime endTime, Instant now,
                                   CalendarProperties rules) {
        Instant askedStart = startTime == null ? null : startTime.toInstant().truncatedTo(ChronoUnit.SECONDS);
        Instant end = endTime == null ? null : endTime.toInstant().truncatedTo(ChronoUnit.SECONDS);
        if (askedStart != null && askedStart.isBefore(now.minus(PAST_TOLERANCE))) {
            throw ApiException.badRequest("request body invalid: spec.startTime " + askedStart
                    + " is more than 60 s in the past");
        }
        if (askedStart != null && askedStart.isAfter(now.plus(rules.horizon()))) {
            throw ApiException.badRequest("request body invalid: spec.startTime " + askedStart
                    + " is beyond the booking horizon of " + rules.horizon().toDays() + " days");
        }
        boolean startsNow = askedStart == null || !askedStart.isAfter(now);
        Instant start = startsNow ? now : askedStart;
        if (end != null) {
            Instant windowStart = askedStart != null ? askedStart : now.truncatedTo(ChronoUnit.SECONDS);
            if (!end.isAfter(windowStart)) {
                throw ApiException.badRequest("request body invalid: spec.endTime must be after spec.startTime");
            }
            if (Duration.between(windowStart, end).compareTo(rules.minimumWindow()) < 0) {
                throw ApiException.badRequest("request body invalid: the window from " + windowStart + " to " + end
                        + " is shorter than the minimum of " + rules.minimumWindow());
            }
        }
        return new BookingWindow(askedStart, start, end, startsNow);
    }

    /**
     * The span its booking holds: from its start (for one that starts at once, from {@code now}, the moment its
     * units are claimed) until its end plus the turnaround, or for ever.
     */
    public ReservationStore.Booked booked(Duration turnaround, Instant now) {
        return new ReservationStore.Booked(startsNow ? now : start, end == null ? null : end.plus(turnaround));
    }

    /** Whether today's allocation applies unchanged: open-ended, from now. */
    public boolean openEndedFromNow() {
        return startsNow && end == null;
    }
}
