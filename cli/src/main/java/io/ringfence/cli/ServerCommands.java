package io.ringfence.cli;

import io.ringfence.client.model.PlacementServerV2Read;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code rfctl servers list|get|reboot|stop}: the servers of one placement. */
@Command(name = "servers", aliases = "server", mixinStandardHelpOptions = true,
        description = "Servers of a placement, one per placed host.",
        subcommands = {ServerCommands.ListServers.class, ServerCommands.Get.class, ServerCommands.Reboot.class,
                ServerCommands.Stop.class})
class ServerCommands {

    static void printTable(BaseCommand command, List<JsonNode> servers) {
        Table table = new Table("ID", "NAME", "ORDINAL", "POWER", "LIFECYCLE", "STATUS", "HEALTH", "HOST-READY",
                "PRIVATE-IP", "DOMAIN");
        for (JsonNode s : servers) {
            JsonNode path = s.path("status").path("topologyPath");
            table.row(Json.text(s, "metadata", "id"), Json.text(s, "metadata", "name"), Json.text(s, "status", "ordinal"),
                    Json.text(s, "status", "powerState"), Json.text(s, "status", "lifecycleState"),
                    Json.text(s, "metadata", "provisioningStatus"), Json.text(s, "metadata", "healthStatus"),
                    Json.text(s, "status", "hostReadiness"), Json.text(s, "status", "privateIP"),
                    path.isArray() && !path.isEmpty() ? path.get(0).asString() : "");
        }
        table.print(command.out());
    }

    abstract static class PlacementScoped extends BaseCommand {
        @Option(names = {"-p", "--placement"}, required = true, description = "Placement ID.") String placement;
    }

    @Command(name = "list", aliases = "ls", description = "List the servers of a placement.", mixinStandardHelpOptions = true)
    static class ListServers extends PlacementScoped {
        @Override
        public Integer call() {
            Api.Answer<List<PlacementServerV2Read>> response = api().call(c -> c.servers().listPlacementServers(placement));
            show(response, () -> printTable(this, items(response.json())));
            return 0;
        }
    }

    @Command(name = "get", description = "Show a server.", mixinStandardHelpOptions = true)
    static class Get extends PlacementScoped {
        @Parameters(arity = "1", paramLabel = "SERVER", description = "Server ID.") String server;

        @Override
        public Integer call() {
            Api.Answer<PlacementServerV2Read> response = api().call(c -> c.servers().getPlacementServer(placement, server));
            if (json()) {
                printRaw(response.body());
                return 0;
            }
            JsonNode s = response.json();
            printTable(this, List.of(s));
            out().println();
            out().println("Host:          " + Json.text(s, "status", "infrastructureRef"));
            List<String> path = items(s.path("status").path("topologyPath")).stream().map(JsonNode::asString).toList();
            out().println("Topology path: " + (path.isEmpty() ? "-" : String.join(" / ", path)));
            out().println("Drift:         " + orDash(Json.text(s, "status", "driftState")));
            out().println("Public IP:     " + orDash(Json.text(s, "status", "publicIP")));
            out().println("MAC:           " + orDash(Json.text(s, "status", "macAddress")));
            out().flush();
            return 0;
        }

        private static String orDash(String value) {
            return value.isEmpty() ? "-" : value;
        }
    }

    @Command(name = "reboot", description = "Reboot servers (power them on when stopped).", mixinStandardHelpOptions = true)
    static class Reboot extends PlacementScoped {
        @Parameters(arity = "1..*", paramLabel = "SERVER", description = "Server IDs.") List<String> servers;
        @Option(names = "--hard", description = "Power-cycle instead of a soft reboot.") boolean hard;

        @Override
        public Integer call() {
            for (String server : servers) {
                api().call(c -> {
                    c.servers().rebootPlacementServer(placement, server, hard ? true : null);
                    return null;
                });
                note((hard ? "hard " : "") + "reboot of server " + server + " accepted");
            }
            return 0;
        }
    }

    @Command(name = "stop", description = "Power servers off.", mixinStandardHelpOptions = true)
    static class Stop extends PlacementScoped {
        @Parameters(arity = "1..*", paramLabel = "SERVER", description = "Server IDs.") List<String> servers;

        @Override
        public Integer call() {
            for (String server : servers) {
                api().call(c -> {
                    c.servers().stopPlacementServer(placement, server);
                    return null;
                });
                note("stop of server " + server + " accepted");
            }
            return 0;
        }
    }
}
