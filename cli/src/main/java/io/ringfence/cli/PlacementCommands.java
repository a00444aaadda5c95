package io.ringfence.cli;

import io.ringfence.client.model.PlacementConstraintsV2;
import io.ringfence.client.model.PlacementPolicyV2;
import io.ringfence.client.model.PlacementServerNetworkingV2;
import io.ringfence.client.model.PlacementServerSpecV2;
import io.ringfence.client.model.PlacementServerV2Read;
import io.ringfence.client.model.PlacementV2Create;
import io.ringfence.client.model.PlacementV2CreateSpec;
import io.ringfence.client.model.PlacementV2Read;
import io.ringfence.client.model.ProjectScopedResourceReadMetadata;
import io.ringfence.client.model.WhenUnsatisfiableV2;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code rfctl placements create|list|get|delete}. */
@Command(name = "placements", aliases = "placement", mixinStandardHelpOptions = true,
        description = "Placements of hosts drawn from a reservation, one server per host.",
        subcommands = {PlacementCommands.Create.class, PlacementCommands.ListPlacements.class,
                PlacementCommands.Get.class, PlacementCommands.Delete.class})
class PlacementCommands {

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
    static Waiter.Observation<Api.Answer<PlacementV2Read>> observe(Api api, String id) {
        Api.Answer<PlacementV2Read> response = api.call(c -> c.placements().getPlacement(id));
        PlacementV2Read p = response.value();
        int wanted = p.getSpec() == null || p.getSpec().getCount() == null ? 0 : p.getSpec().getCount();
        int running = 0;
        for (PlacementServerV2Read server : api.call(c -> c.servers().listPlacementServers(id)).value()) {
            if (server.getStatus() != null && "Running".equals(Json.text(server.getStatus().getPowerState()))) {
                running++;
            }
        }
        ProjectScopedResourceReadMetadata metadata = p.getMetadata();
        String status = Json.text(metadata.getProvisioningStatus());
        String detail = metadata.getProvisioningStatusDetail() == null ? ""
                : Json.text(metadata.getProvisioningStatusDetail().getMessage());
        String line = "placement " + Json.text(metadata.getName()) + ": " + status + ", " + running + "/" + wanted
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
            PlacementServerSpecV2 serverSpec = new PlacementServerSpecV2().imageId(image).sshCertificateAuthorityId(sshCa);
            if (publicIp || securityGroups != null) {
                serverSpec.networking(new PlacementServerNetworkingV2().publicIP(publicIp ? true : null)
                        .securityGroups(securityGroups));
            }
            PlacementV2Create body = new PlacementV2Create()
                    .metadata(ReservationCommands.metadata(name, description, tags))
                    .spec(new PlacementV2CreateSpec().reservationId(reservation).networkId(network).serverSpec(serverSpec)
                            .count(count).constraints(new PlacementConstraintsV2()
                                    .policy(PlacementPolicyV2.fromValue(chosen.name())).maxSkew(maxSkew).minDomains(minDomains)
                                    .whenUnsatisfiable(whenUnsatisfiable == null ? null
                                            : WhenUnsatisfiableV2.fromValue(whenUnsatisfiable.name()))));
            Api.Answer<PlacementV2Read> created = api().call(c -> c.placements().createPlacement(body, null));
            String id = created.value().getMetadata().getId();
            if (wait) {
                err().println("placement " + id + " accepted; waiting for its servers");
            }
            Api.Answer<PlacementV2Read> result = wait
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
            if (tags != null) {
                tags.forEach(ReservationCommands::tag);
            }
            Api.Answer<List<PlacementV2Read>> response = api().call(c -> c.placements()
                    .listPlacements(tags, orgs, projects, regions, reservations, networks));
            show(response, () -> printTable(this, items(response.json())));
            return 0;
        }
    }

    @Command(name = "get", description = "Show a placement.", mixinStandardHelpOptions = true)
    static class Get extends BaseCommand {
        @Parameters(arity = "1", paramLabel = "ID", description = "Placement ID.") String id;

        @Override
        public Integer call() {
            Api.Answer<PlacementV2Read> response = api().call(c -> c.placements().getPlacement(id));
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
                api().call(c -> {
                    c.placements().deletePlacement(id);
                    return null;
                });
                note("placement " + id + " deletion accepted");
            }
            if (wait) {
                for (String id : ids) {
                    ReservationCommands.awaitGone(this, "placement " + id,
                            c -> c.placements().getPlacement(id).getMetadata(), timeout);
                }
            }
            return 0;
        }
    }
}
