package io.ringfence.reservation;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The booking calendar's rules.
 *
 * @param minimumWindow the shortest window a reservation may book (default 1 h)
 * @param horizon how far ahead a window may start (default 182 days)
 * @param turnaround how long the platform needs to hand units back between tenants; a booking holds its units
 *     until its end plus this (default 0 s; operators of real hardware set it)
 */
@ConfigurationProperties("ringfence.calendar")
public record CalendarProperties(Duration minimumWindow, Duration horizon, Duration turnaround) {
    public CalendarProperties {
        minimumWindow = minimumWindow == null ? Duration.ofHours(1) : minimumWindow;
        horizon = horizon == null ? Duration.ofDays(182) : horizon;
        turnaround = turnaround == null ? Duration.ZERO : turnaround;
        if (minimumWindow.isNegative() || minimumWindow.isZero()) {
            throw new IllegalArgumentException("ringfence.calendar.minimum-window must be positive");
        }
        if (turnaround.isNegative()) {
            throw new IllegalArgumentException("ringfence.calendar.turnaround must not be negative");
        }
    }
}
