package io.ringfence.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code rfctl placements create|list|get|delete}. */
@Command(name = "placements", aliases = "placement", mixinStandardHelpOptions = true,
        description = "Placements of hosts drawn from a reservation, one server per host.",
        subcommands = {PlacementCommands.Create.class, PlacementCommands.ListPlacements.class,
                PlacementCommands.Get.class, PlacementCommands.Delete.class})
class PlacementCommands {

    static final String PATH = "/api/v2/placements";

    /** Host selection policies. */
    enum Policy { pack, spread }

    /** What to do when the constraints cannot be met in full. */
    enum WhenUnsatisfiable { fail, bestEffort }

    static void printTable(BaseCommand command, List<JsonNode> placements) {
        Table table = new Table("ID", "NAME", "RESERVATION", "POLICY", "COUNT", "READY", "STATUS", "HEALTH", "IMAGE");
        for (JsonNode p : placements) {
            table.row(Json.text(p, "metadata", "id"), Json.text(p, "metadata", "name"),
                    Json.text(p, "status", "reservationId"), Json.text(p, "spec", "constraints", "policy"),
                    Json.text(p, "spec", "count"), Json.text(p, "status", "readyHostCount"),
                    Json.text(p, "metadata", "provisioningStatus"), Json.text(p, "metadata", "healthStatus"),
                    Json.text(p, "spec", "serverSpec", "imageId"));
        }
        table.print(command.out());
    }

    /** Progress of a placement: its state and how many of its servers are running. */
    static Waiter.Observation<ApiClient.Response> observe(ApiClient api, String id) {
        ApiClient.Response response = api.get(PATH + "/" + ApiClient.segment(id));
        JsonNode p = response.json();
        int wanted = Json.integer(p, "spec", "count");
        int running = 0;
        for (JsonNode server : api.get(PATH + "/" + ApiClient.segment(id) + "/servers").json()) {
            if ("Running".equals(Json.text(server, "status", "powerState"))) {
                running++;
            }
        }
        String status = Json.text(p, "metadata", "provisioningStatus");
        String detail = Json.text(p, "metadata", "provisioningStatusDetail", "message");
        String line = "placement " + Json.text(p, "metadata", "name") + ": " + status + ", " + running + "/" + wanted
                + " servers running" + ("error".equals(status) && !detail.isEmpty() ? " (" + detail + ")" : "");
        boolean done = "provisioned".equals(status) && running >= wanted;
        return new Waiter.Observation<>(response, line, done, "error".equals(status));
    }

    @Command(name = "create", description = "Place hosts of a reservation and launch a server on each.",
            mixinStandardHelpOptions = true)
    static class Create extends BaseCommand {
        @Option(names = "--name", required = true, description = "Name of the placement.") String name;
        @Option(names = "--reservation", required = true, description = "Reservation to draw hosts from.") String reservation;
        @Option(names = "--network", required = true, description = "Network the servers attach to.") String network;
        @Option(names = "--image", required = true, description = "Image of every server.") String image;
        @Option(names = "--count", required = true, description = "Number of hosts.") int count;
        @Option(names = "--policy", defaultValue = "pack",
                description = "pack (fill one NVLink domain before the next) or spread (distribute evenly); default ${DEFAULT-VALUE}.")
        Policy policy;
        @Option(names = "--pack", description = "Same as --policy pack.") boolean pack;
        @Option(names = "--spread", description = "Same as --policy spread.") boolean spread;
        @Option(names = "--max-skew", description = "Largest difference in hosts between two domains (spread).") Integer maxSkew;
        @Option(names = "--min-domains", description = "Fewest domains that receive a host (spread).") Integer minDomains;
        @Option(names = "--when-unsatisfiable", description = "fail or bestEffort.") WhenUnsatisfiable whenUnsatisfiable;
        @Option(names = "--ssh-ca", description = "SSH certificate authority ID.") String sshCa;
        @Option(names = "--security-group", description = "Security group ID; repeatable.") List<String> securityGroups;
        @Option(names = "--public-ip", description = "Give each server a public IP.") boolean publicIp;
        @Option(names = "--description", description = "Free-form description.") String description;
        @Option(names = "--tag", paramLabel = "NAME=VALUE", description = "A tag; repeatable.") List<String> tags = new ArrayList<>();
        @Option(names = "--wait", description = "Wait until every server runs, showing progress; exit 3 on error.") boolean wait;
        @Option(names = "--timeout", defaultValue = "30m", converter = Durations.class,
                description = "How long --wait waits (default ${DEFAULT-VALUE}).") Duration timeout;

        @Override
        public Integer call() {
            if (pack && spread) {
                throw new CliException("--pack and --spread exclude each other");
            }
            Policy chosen = spread ? Policy.spread : pack ? Policy.pack : policy;
            ObjectNode body = Json.object();
            ObjectNode metadata = body.putObject("metadata").put("name", name);
            if (description != null) {
                metadata.put("description", description);
            }
            if (!tags.isEmpty()) {
                metadata.set("tags", ReservationCommands.tags(tags));
            }
            ObjectNode spec = body.putObject("spec").put("reservationId", reservation).put("networkId", network);
            ObjectNode serverSpec = spec.putObject("serverSpec").put("imageId", image);
            if (sshCa != null) {
                serverSpec.put("sshCertificateAuthorityId", sshCa);
            }
            if (publicIp || securityGroups != null) {
                ObjectNode networking = serverSpec.putObject("networking");
                if (publicIp) {
                    networking.put("publicIP", true);
                }
                if (securityGroups != null) {
                    securityGroups.forEach(networking.putArray("securityGroups")::add);
                }
            }
            spec.put("count", count);
            ObjectNode constraints = spec.putObject("constraints").put("policy", chosen.name());
            if (maxSkew != null) {
                constraints.put("maxSkew", maxSkew);
            }
            if (minDomains != null) {
                constraints.put("minDomains", minDomains);
            }
            if (whenUnsatisfiable != null) {
                constraints.put("whenUnsatisfiable", whenUnsatisfiable.name());
            }
            ApiClient.Response created = api().post(PATH, body);
            String id = Json.text(created.json(), "metadata", "id");
            if (wait) {
                err().println("placement " + id + " accepted; waiting for its servers");
            }
            ApiClient.Response result = wait
                    ? waiter(timeout).await("placement " + id, () -> observe(api(), id)) : created;
            show(result, () -> printTable(this, List.of(result.json())));
            return 0;
        }
    }

    @Command(name = "list", aliases = "ls", description = "List placements.", mixinStandardHelpOptions = true)
    static class ListPlacements extends BaseCommand {
        @Option(names = "--reservation", description = "Only of these reservations; repeatable.") List<String> reservations;
        @Option(names = "--network", description = "Only on these networks; repeatable.") List<String> networks;
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
            query(query, "reservationID", reservations);
            query(query, "networkID", networks);
            if (tags != null) {
                tags.forEach(ReservationCommands::tag);
            }
            query(query, "tag", tags);
            ApiClient.Response response = api().get(PATH + query);
            show(response, () -> printTable(this, items(response.json())));
            return 0;
        }
    }

    @Command(name = "get", description = "Show a placement.", mixinStandardHelpOptions = true)
    static class Get extends BaseCommand {
        @Parameters(arity = "1", paramLabel = "ID", description = "Placement ID.") String id;

        @Override
        public Integer call() {
            ApiClient.Response response = api().get(PATH + "/" + ApiClient.segment(id));
            if (json()) {
                printRaw(response.body());
                return 0;
            }
            JsonNode p = response.json();
            printTable(this, List.of(p));
            JsonNode c = p.path("spec").path("constraints");
            out().println();
            out().println("Constraints:  policy=" + Json.text(c, "policy")
                    + (c.has("maxSkew") ? " maxSkew=" + Json.text(c, "maxSkew") : "")
                    + (c.has("minDomains") ? " minDomains=" + Json.text(c, "minDomains") : "")
                    + (c.has("whenUnsatisfiable") ? " whenUnsatisfiable=" + Json.text(c, "whenUnsatisfiable") : ""));
            out().println("Network:      " + Json.text(p, "status", "networkId"));
            String detail = Json.text(p, "metadata", "provisioningStatusDetail", "message");
            out().println("Provisioning: " + (detail.isEmpty() ? "-" : detail));
            String health = Json.text(p, "metadata", "healthStatusDetail", "message");
            out().println("Health:       " + (health.isEmpty() ? "-" : health));
            out().flush();
            return 0;
        }
    }

    @Command(name = "delete", aliases = "rm", description = "Delete placements and their servers.",
            mixinStandardHelpOptions = true)
    static class Delete extends BaseCommand {
        @Parameters(arity = "1..*", paramLabel = "ID", description = "Placement IDs.") List<String> ids;
        @Option(names = "--wait", description = "Wait until the placements are gone.") boolean wait;
        @Option(names = "--timeout", defaultValue = "30m", converter = Durations.class,
                description = "How long --wait waits (default ${DEFAULT-VALUE}).") Duration timeout;

        @Override
        public Integer call() {
            for (String id : ids) {
                api().delete(PATH + "/" + ApiClient.segment(id));
                note("placement " + id + " deletion accepted");
            }
            if (wait) {
                for (String id : ids) {
                    ReservationCommands.awaitGone(this, "placement " + id, PATH + "/" + ApiClient.segment(id), timeout);
                }
            }
            return 0;
        }
    }
}
