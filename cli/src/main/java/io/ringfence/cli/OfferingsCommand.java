package io.ringfence.cli;

import io.ringfence.client.model.ReservationOfferingV2;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code rfctl offerings}: when and where a request of contiguous units fits, earliest first. */
@Command(name = "offerings", mixinStandardHelpOptions = true,
        description = {"When a request of contiguous units fits: the earliest windows, earliest first.",
                "Book one with rfctl reservations create ... --start START --end END."})
class OfferingsCommand extends BaseCommand {
    @Option(names = "--region", required = true, description = "Region ID.") String region;
    @Option(names = "--accelerator", required = true, description = "Accelerator, e.g. GB300.") String accelerator;
    @Option(names = "--unit", required = true, description = "Reservation unit, e.g. NVL72.") String unit;
    @Option(names = "--count", required = true, description = "Number of contiguous units.") int count;
    @Option(names = "--duration", required = true, converter = Durations.class, paramLabel = "DURATION",
            description = "Length of the window, e.g. 48h, PT48H or P7D.") Duration duration;
    @Option(names = "--earliest-start", paramLabel = "TIME",
            description = "No window starts before this (RFC 3339, now or +2h; default now).") String earliestStart;
    @Option(names = "--limit", description = "Most windows to show (the service's default is 5).") Integer limit;

    @Override
    public Integer call() {
        String from = earliestStart == null ? null : Times.format(Times.parse(earliestStart, root().clock()));
        Api.Answer<List<ReservationOfferingV2>> response = api().call(c -> c.units()
                .listReservationOfferings(region, accelerator, unit, count, duration.toString(), from, limit));
        if (json()) {
            printRaw(response.body());
            return 0;
        }
        List<JsonNode> offerings = items(response.json());
        if (offerings.isEmpty()) {
            note("no window of " + count + " contiguous " + accelerator + "/" + unit + " units for " + duration
                    + " fits within the booking horizon");
            return 0;
        }
        Table table = new Table("START", "END", "REGION", "TYPE", "COUNT");
        for (JsonNode o : offerings) {
            table.row(Json.text(o, "startTime"), Json.text(o, "endTime"), Json.text(o, "regionId"),
                    Json.text(o, "accelerator") + "/" + Json.text(o, "unit"), Json.text(o, "count"));
        }
        table.print(out());
        return 0;
    }
}
