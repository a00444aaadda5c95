package io.ringfence.cli;

import io.ringfence.client.model.OperatorHostV2;
import java.util.HashSet;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rfctl topology show --org ORG}. */
@Command(name = "topology", mixinStandardHelpOptions = true,
        description = "The physical topology an organization sees.", subcommands = TopologyCommand.Show.class)
class TopologyCommand {

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Draw pods, NVLink domains and hosts, one character per host,",
                    "marking your claimed domains, your placements and (for operators) unhealthy hosts."})
    static class Show extends BaseCommand {
        @Option(names = "--org", required = true, description = "Organization ID.") String org;
        @Option(names = "--region", description = "Only this region.") String region;
        @Option(names = "--accelerator", description = "Only this accelerator.") String accelerator;
        @Option(names = "--unit", description = "Only this reservation unit.") String unit;
        @Option(names = "--project", description = "Overlays of this project only.") String project;
        @Option(names = "--reservation", description = "Overlays of this reservation only.") String reservation;

        @Override
        public Integer call() {
            Api.Answer<?> response = api().call(c -> c.topology()
                    .getOrganizationTopology(org, region, accelerator, unit, project, reservation));
            if (json()) {
                printRaw(response.body());
                return 0;
            }
            for (String line : TopologyRenderer.render(response.json(), unhealthyHosts())) {
                out().println(line);
            }
            out().flush();
            return 0;
        }

        /**
         * Unhealthy hosts from the operator API, or null when the caller is not an operator. All hosts are read and
         * filtered here: the service refuses {@code ?health=unhealthy} (see the report).
         */
        private Set<String> unhealthyHosts() {
            try {
                Set<String> refs = new HashSet<>();
                for (OperatorHostV2 host : api().call(c -> c.operator().listOperatorHosts(region, null, null)).value()) {
                    if (Boolean.FALSE.equals(host.getHealthy())) {
                        refs.add(Json.text(host.getInfrastructureRef()));
                    }
                }
                return refs;
            } catch (ApiError e) {
                if (e.status() == 401 || e.status() == 403 || e.status() == 404) {
                    return null;
                }
                throw e;
            }
        }
    }
}
