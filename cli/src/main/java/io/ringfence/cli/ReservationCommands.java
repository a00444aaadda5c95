package io.ringfence.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code rfctl reservations create|list|get|delete}. */
@Command(name = "reservations", aliases = "reservation", mixinStandardHelpOptions = true,
        description = "Reservations of contiguous reservation units.",
        subcommands = {ReservationCommands.Create.class, ReservationCommands.ListReservations.class,
                ReservationCommands.Get.class, ReservationCommands.Delete.class})
class ReservationCommands {

    static final String PATH = "/api/v2/reservations";

    static void printTable(BaseCommand command, List<JsonNode> reservations) {
        Table table = new Table("ID", "NAME", "PROJECT", "REGION", "TYPE", "COUNT", "STATUS", "HEALTH", "CREATED");
        for (JsonNode r : reservations) {
            table.row(Json.text(r, "metadata", "id"), Json.text(r, "metadata", "name"),
                    Json.text(r, "metadata", "projectId"), Json.text(r, "spec", "regionId"),
                    Json.text(r, "spec", "accelerator") + "/" + Json.text(r, "spec", "unit"),
                    Json.text(r, "spec", "count"), Json.text(r, "metadata", "provisioningStatus"),
                    Json.text(r, "metadata", "healthStatus"), Json.text(r, "metadata", "creationTime"));
        }
        table.print(command.out());
    }

    /** Progress of a reservation: its provisioning state and the service's explanation. */
    static Waiter.Observation<ApiClient.Response> observe(ApiClient api, String id) {
        ApiClient.Response response = api.get(PATH + "/" + ApiClient.segment(id));
        JsonNode r = response.json();
        String status = Json.text(r, "metadata", "provisioningStatus");
        String detail = Json.text(r, "metadata", "provisioningStatusDetail", "message");
        String line = "reservation " + Json.text(r, "metadata", "name") + ": " + status
                + (detail.isEmpty() ? "" : " (" + detail + ")");
        return new Waiter.Observation<>(response, line, "provisioned".equals(status), "error".equals(status));
    }

    static Map.Entry<String, String> tag(String value) {
        int eq = value.indexOf('=');
        if (eq <= 0) {
            throw new CliException("a tag is written name=value, not " + value);
        }
        return Map.entry(value.substring(0, eq), value.substring(eq + 1));
    }

    static ArrayNode tags(List<String> values) {
        ArrayNode tags = Json.MAPPER.createArrayNode();
        for (String value : values) {
            Map.Entry<String, String> tag = tag(value);
            tags.addObject().put("name", tag.getKey()).put("value", tag.getValue());
        }
        return tags;
    }

    @Command(name = "create", description = "Reserve contiguous units in a region.", mixinStandardHelpOptions = true)
    static class Create extends BaseCommand {
        @Option(names = "--name", required = true, description = "Name of the reservation.") String name;
        @Option(names = "--org", required = true, description = "Organization ID.") String org;
        @Option(names = "--project", required = true, description = "Project ID.") String project;
        @Option(names = "--region", required = true, description = "Region ID.") String region;
        @Option(names = "--accelerator", required = true, description = "Accelerator, e.g. GB300.") String accelerator;
        @Option(names = "--unit", required = true, description = "Reservation unit, e.g. NVL72.") String unit;
        @Option(names = "--count", required = true, description = "Number of contiguous units.") int count;
        @Option(names = "--description", description = "Free-form description.") String description;
        @Option(names = "--tag", paramLabel = "NAME=VALUE", description = "A tag; repeatable.") List<String> tags = new ArrayList<>();
        @Option(names = "--wait", description = "Wait until provisioned, showing progress; exit 3 if it ends in error.") boolean wait;
        @Option(names = "--timeout", defaultValue = "30m", converter = Durations.class,
                description = "How long --wait waits (default ${DEFAULT-VALUE}).") Duration timeout;

        @Override
        public Integer call() {
            ObjectNode body = Json.object();
            ObjectNode metadata = body.putObject("metadata").put("name", name);
            if (description != null) {
                metadata.put("description", description);
            }
            if (!tags.isEmpty()) {
                metadata.set("tags", tags(tags));
            }
            body.putObject("spec").put("organizationId", org).put("projectId", project).put("regionId", region)
                    .put("accelerator", accelerator).put("unit", unit).put("count", count);
            ApiClient.Response created = api().post(PATH, body);
            String id = Json.text(created.json(), "metadata", "id");
            if (wait) {
                err().println("reservation " + id + " accepted; waiting for it to be provisioned");
            }
            ApiClient.Response result = wait
                    ? waiter(timeout).await("reservation " + id, () -> observe(api(), id)) : created;
            show(result, () -> printTable(this, List.of(result.json())));
            return 0;
        }
    }

    @Command(name = "list", aliases = "ls", description = "List reservations.", mixinStandardHelpOptions = true)
    static class ListReservations extends BaseCommand {
        @Option(names = "--org", description = "Only these organizations; repeatable.") List<String> orgs;
        @Option(names = "--project", description = "Only these projects; repeatable.") List<String> projects;
        @Option(names = "--region", description = "Only these regions; repeatable.") List<String> regions;
        @Option(names = "--tag", paramLabel = "NAME=VALUE", description = "Only with this tag; repeatable.") List<String> tags;

        @Override
        public Integer call() {
            StringBuilder query = new StringBuilder();
            query(query, "organizationID", orgs);
            query(query, "projectID", projects);
            query(query, "regionID", regions);
            if (tags != null) {
                tags.forEach(ReservationCommands::tag);
            }
            query(query, "tag", tags);
            ApiClient.Response response = api().get(PATH + query);
            show(response, () -> printTable(this, items(response.json())));
            return 0;
        }
    }

    @Command(name = "get", description = "Show reservations.", mixinStandardHelpOptions = true)
    static class Get extends BaseCommand {
        @Parameters(arity = "1", paramLabel = "ID", description = "Reservation ID.") String id;

        @Override
        public Integer call() {
            ApiClient.Response response = api().get(PATH + "/" + ApiClient.segment(id));
            if (json()) {
                printRaw(response.body());
                return 0;
            }
            JsonNode r = response.json();
            printTable(this, List.of(r));
            String provisioning = Json.text(r, "metadata", "provisioningStatusDetail", "message");
            String health = Json.text(r, "metadata", "healthStatusDetail", "message");
            out().println();
            out().println("Provisioning:   " + (provisioning.isEmpty() ? "-" : provisioning));
            out().println("Health:         " + (health.isEmpty() ? "-" : health));
            out().println("Claimed units:  " + Json.text(r, "status", "claimedUnitCount"));
            out().println("Flavor:         " + Json.text(r, "status", "machineFlavorId"));
            out().println("Topology hash:  " + Json.text(r, "status", "topologyHash"));
            List<String> tagTexts = new ArrayList<>();
            r.path("metadata").path("tags").forEach(t -> tagTexts.add(Json.text(t, "name") + "=" + Json.text(t, "value")));
            out().println("Tags:           " + (tagTexts.isEmpty() ? "-" : String.join(", ", tagTexts)));
            out().flush();
            return 0;
        }
    }

    @Command(name = "delete", aliases = "rm", description = "Delete reservations with their placements and servers.",
            mixinStandardHelpOptions = true)
    static class Delete extends BaseCommand {
        @Parameters(arity = "1..*", paramLabel = "ID", description = "Reservation IDs.") List<String> ids;
        @Option(names = "--wait", description = "Wait until the reservations are gone.") boolean wait;
        @Option(names = "--timeout", defaultValue = "30m", converter = Durations.class,
                description = "How long --wait waits (default ${DEFAULT-VALUE}).") Duration timeout;

        @Override
        public Integer call() {
            for (String id : ids) {
                api().delete(PATH + "/" + ApiClient.segment(id));
                note("reservation " + id + " deletion accepted");
            }
            if (wait) {
                for (String id : ids) {
                    awaitGone(this, "reservation " + id, PATH + "/" + ApiClient.segment(id), timeout);
                }
            }
            return 0;
        }
    }

    /** Polls a resource until it answers 404. */
    static void awaitGone(BaseCommand command, String what, String path, Duration timeout) {
        command.waiter(timeout).await(what, () -> {
            try {
                JsonNode r = command.api().get(path).json();
                String status = Json.text(r, "metadata", "provisioningStatus");
                return new Waiter.Observation<>(null, what + ": " + status, false, "error".equals(status));
            } catch (ApiError e) {
                if (e.status() == 404) {
                    return new Waiter.Observation<>(null, what + ": deleted", true, false);
                }
                throw e;
            }
        });
    }
}
