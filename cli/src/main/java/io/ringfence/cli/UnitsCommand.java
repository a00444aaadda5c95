package io.ringfence.cli;

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
            StringBuilder query = new StringBuilder();
            query(query, "regionID", region);
            query(query, "accelerator", accelerator);
            query(query, "unit", unit);
            String path = org == null ? "/api/v2/reservation-units"
                    : "/api/v2/organizations/" + ApiClient.segment(org) + "/reservation-units";
            ApiClient.Response response = api().get(path + query);
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
