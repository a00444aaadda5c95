package io.ringfence.catalog;

import io.ringfence.capacity.CatalogFigures;
import io.ringfence.fleet.FleetStore;
import io.ringfence.fleet.UnitType;
import io.ringfence.identity.Acl;
import io.ringfence.identity.Caller;
import io.ringfence.error.ApiException;
import io.ringfence.calendar.Calendar;
import io.ringfence.reservation.BookingCalendar;
import io.ringfence.reservation.ReservationStore;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * The unit catalog: every unit type with its figures, computed in one place for the API and the capacity
 * metrics alike.
 */
@Service
public class CatalogService {

    private final FleetStore fleet;
    private final BookingCalendar calendar;

    /** The most offerings one search answers. */
    static final int MAX_OFFERINGS = 100;

    public CatalogService(FleetStore fleet, BookingCalendar calendar) {
        this.fleet = fleet;
        this.calendar = calendar;
    }

    /** A unit type's calendar view: free units per pod over time, and the bookings the caller may read. */
    public record CalendarView(UnitType unitType, Instant from, Instant until, List<PodFree> pods,
                               List<ReservationStore.PoolReservation> bookings) {
    }

    /** One pod's free units over time, from {@code from}. */
    public record PodFree(String podId, int totalUnitCount, List<Calendar.FreeStep> free) {
    }

    /**
     * The calendar view between {@code from} (default now) and {@code until} (default the booking horizon). Counts
     * are for any valid token; bookings are filtered to the reservations the caller may read, so no tenant sees
     * another's.
     */
    public CalendarView calendar(Caller caller, String regionId, String accelerator, String unit, String from,
                                 String until) {
        UnitType type = fleet.unitType(regionId, accelerator, unit)
                .orElseThrow(() -> ApiException.badRequest("region '" + regionId + "' does not offer "
                        + accelerator + "/" + unit + " reservation units"));
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant start = from == null ? now : time(from, "from");
        Instant end = until == null ? now.plus(calendar.rules().horizon()) : time(until, "until");
        if (!end.isAfter(start)) {
            throw ApiException.badRequest("query parameter until must be after from");
        }
        Calendar view = calendar.view(type, now);
        List<PodFree> pods = new ArrayList<>();
        for (String podId : view.podIds()) {
            int total = (int) view.units().stream().filter(u -> u.podId().equals(podId)).count();
            List<Calendar.FreeStep> steps = view.freeOverTime(podId, start.getEpochSecond()).stream()
                    .filter(step -> step.instant() < end.getEpochSecond()).toList();
            pods.add(new PodFree(podId, total, steps));
        }
        List<ReservationStore.PoolReservation> bookings = calendar.bookings(type, start, end).stream()
                .filter(r -> caller.allows(Acl.Endpoint.RESERVATIONS, Acl.Operation.READ, r.organizationId(),
                        r.projectId()))
                .toList();
        return new CalendarView(type, start, end, pods, bookings);
    }

    private static Instant time(String value, String name) {
        try {
            return OffsetDateTime.parse(value).toInstant().truncatedTo(ChronoUnit.SECONDS);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("query parameter " + name + " must be an RFC 3339 time");
        }
    }

    /** One offering in time: the unit type, the count, and the window. */
    public record TimedOffering(UnitType unitType, int count, Instant start, Instant end) {
    }

    /**
     * When {@code count} contiguous units of the unit type fit for {@code duration}, at or after
     * {@code earliestStart} (default now): the earliest first, distinct starts, at most {@code limit} (default 5).
     * Every parameter is checked as a create would check it (400 otherwise).
     */
    public List<TimedOffering> offeringsInTime(String regionId, String accelerator, String unit, Integer count,
                                               String duration, String earliestStart, Integer limit) {
        UnitType type = fleet.unitType(regionId, accelerator, unit)
                .orElseThrow(() -> ApiException.badRequest("region '" + regionId + "' does not offer "
                        + accelerator + "/" + unit + " reservation units"));
        if (count == null || count < 1) {
            throw ApiException.badRequest("query parameter count must be a positive integer");
        }
        Duration length;
        try {
            length = Duration.parse(duration);
        } catch (DateTimeParseException | NullPointerException e) {
            throw ApiException.badRequest("query parameter duration must be an ISO 8601 duration such as PT48H or P7D");
        }
        if (length.compareTo(calendar.rules().minimumWindow()) < 0) {
            throw ApiException.badRequest("query parameter duration is shorter than the minimum window of "
                    + calendar.rules().minimumWindow());
        }
        Instant now = Instant.now();
        Instant from = now;
        if (earliestStart != null) {
            try {
                from = OffsetDateTime.parse(earliestStart).toInstant().truncatedTo(ChronoUnit.SECONDS);
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest("query parameter earliestStart must be an RFC 3339 time");
            }
        }
        int most = limit == null ? 5 : limit;
        if (most < 1 || most > MAX_OFFERINGS) {
            throw ApiException.badRequest("query parameter limit must be between 1 and " + MAX_OFFERINGS);
        }
        return calendar.offerings(type, count, length, from, most, now).stream()
                .map(o -> new TimedOffering(type, count, Instant.ofEpochSecond(o.start()),
                        Instant.ofEpochSecond(o.end())))
                .toList();
    }

    /** One offering and its figures. */
    public record Offering(UnitType unitType, CatalogFigures figures) {
    }

    /** The organization's view of the catalog: the same figures, for a caller with a grant there (else 403). */
    public List<Offering> offerings(Caller caller, String organizationId, List<String> regionIds,
                                    List<String> accelerators, List<String> units) {
        caller.requireSomewhereIn(Acl.Endpoint.RESERVATION_UNITS, Acl.Operation.READ, organizationId);
        return offerings(regionIds, accelerators, units);
    }

    /** Every offering, narrowed by the filters (each empty or null: no restriction). */
    public List<Offering> offerings(List<String> regionIds, List<String> accelerators, List<String> units) {
        Map<Long, CatalogFigures> figures = CatalogFigures.perPool(fleet.podCapacities(),
                FleetStore.PodCapacity::unitTypeId,
                p -> new CatalogFigures.PodCounts(p.totalUnits(), p.freeUnits(), p.claimedUnits(),
                        p.unhealthyUnits(), p.drainingUnits()));
        List<Offering> offerings = new ArrayList<>();
        for (UnitType type : fleet.unitTypes()) {
            if (matches(regionIds, type.regionId()) && matches(accelerators, type.accelerator())
                    && matches(units, type.unit())) {
                offerings.add(new Offering(type, figures.getOrDefault(type.id(), CatalogFigures.EMPTY)));
            }
        }
        return offerings;
    }

    private static boolean matches(List<String> filter, String value) {
        return filter == null || filter.isEmpty() || filter.contains(value);
    }
}
