package io.ringfence.cli;

import io.ringfence.client.model.ReservationUnitV2;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code rfctl units list}: the reservation-unit catalog. */
@Command(name = "units", description = "Reservation units the regions offer.", mixinStandardHelpOptions = true,
        subcommands = UnitsCommand.ListUnits.class)
class UnitsCommand {

    @Command(name = "list", description = "List reservation units with their capacity.", mixinStandardHelpOptions = true)
    static class ListUnits extends BaseCommand {
        @Option(names = "--region", description = "Only this region.") String region;
        @Option(names = "--accelerator", description = "Only this accelerator, e.g. GB300.") String accelerator;
        @Option(names = "--unit", description = "Only this unit, e.g. NVL72.") String unit;
        @Option(names = "--org", description = "Count capacity within this organization's allocation.") String org;

        @Override
        public Integer call() {
            List<String> regions = region == null ? null : List.of(region);
            List<String> accelerators = accelerator == null ? null : List.of(accelerator);
            List<String> units = unit == null ? null : List.of(unit);
            Api.Answer<List<ReservationUnitV2>> response = api().call(c -> org == null
                    ? c.units().listReservationUnits(regions, accelerators, units)
                    : c.units().listOrganizationReservationUnits(org, regions, accelerators, units));
            if (json()) {
                printRaw(response.body());
                return 0;
            }
            Table table = new Table("REGION", "ACCELERATOR", "UNIT", "HOSTS/UNIT", "GPUS/UNIT", "AVAILABLE",
                    "LARGEST-CONTIGUOUS", "TOTAL", "FLAVOR");
            for (JsonNode u : response.json()) {
                table.row(Json.text(u, "regionId"), Json.text(u, "accelerator"), Json.text(u, "unit"),
                        Json.text(u, "hostsPerUnit"), Json.text(u, "gpusPerUnit"), Json.text(u, "availableUnitCount"),
                        Json.text(u, "largestContiguousUnitCount"), Json.text(u, "totalCount"),
                        Json.text(u, "machineFlavorId"));
            }
            table.print(out());
            return 0;
        }
    }
}
