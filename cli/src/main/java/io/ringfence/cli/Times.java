package io.ringfence.cli;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Points in time on the command line: RFC 3339 ({@code 2026-06-01T00:00:00Z}, {@code 2026-06-01T02:00:00+02:00}),
 * {@code now}, or an offset from now written as a duration ({@code +2h}, {@code now+30m}, {@code +P7D}). Always
 * answered in UTC, to the second, as the service keeps them.
 */
final class Times {

    private Times() {
    }

    static OffsetDateTime parse(String value, Clock clock) {
        String text = value == null ? "" : value.trim();
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        if (text.equalsIgnoreCase("now")) {
            return now;
        }
        String offset = text.regionMatches(true, 0, "now+", 0, 4) ? text.substring(4)
                : text.startsWith("+") ? text.substring(1) : null;
        if (offset != null) {
            Duration duration;
            try {
                duration = Durations.parse(offset);
            } catch (RuntimeException e) {
                throw invalid(value);
            }
            return now.plus(duration);
        }
        try {
            return OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw invalid(value);
        }
    }

    /** RFC 3339 in UTC, as the API writes it. */
    static String format(OffsetDateTime time) {
        return time.toInstant().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static CliException invalid(String value) {
        return new CliException("'" + value + "' is not a time: write RFC 3339 (2026-06-01T00:00:00Z), now, "
                + "or an offset from now such as +2h or +P7D", CliException.USAGE);
    }
}
