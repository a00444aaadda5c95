package io.ringfence.cli;

import io.ringfence.client.model.ProjectScopedResourceReadMetadata;
import io.ringfence.client.model.ReservationV2Create;
import io.ringfence.client.model.ReservationV2CreateSpec;
import io.ringfence.client.model.ReservationV2Extend;
import io.ringfence.client.model.ReservationV2Read;
import io.ringfence.client.model.ResourceWriteMetadata;
import io.ringfence.client.model.Tag;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code rfctl reservations create|list|get|extend|delete}. */
@Command(name = "reservations", aliases = "reservation", mixinStandardHelpOptions = true,
        description = "Reservations of contiguous reservation units.",
        subcommands = {ReservationCommands.Create.class, ReservationCommands.ListReservations.class,
                ReservationCommands.Get.class, ReservationCommands.Extend.class, ReservationCommands.Delete.class})
class ReservationCommands {

    static void printTable(BaseCommand command, List<JsonNode> reservations) {
        Table table = new Table("ID", "NAME", "PROJECT", "REGION", "TYPE", "COUNT", "STATUS", "HEALTH", "START", "END",
                "CREATED");
        for (JsonNode r : reservations) {
            table.row(Json.text(r, "metadata", "id"), Json.text(r, "metadata", "name"),
                    Json.text(r, "metadata", "projectId"), Json.text(r, "spec", "regionId"),
                    Json.text(r, "spec", "accelerator") + "/" + Json.text(r, "spec", "unit"),
                    Json.text(r, "spec", "count"), Json.text(r, "metadata", "provisioningStatus"),
                    Json.text(r, "metadata", "healthStatus"), Json.text(r, "spec", "startTime"),
                    Json.text(r, "spec", "endTime"), Json.text(r, "metadata", "creationTime"));
        }
        table.print(command.out());
    }

    /** Progress of a reservation: its provisioning state and the service's explanation. */
    static Waiter.Observation<Api.Answer<ReservationV2Read>> observe(Api api, String id) {
        Api.Answer<ReservationV2Read> response = api.call(c -> c.reservations().getReservation(id));
        ProjectScopedResourceReadMetadata metadata = response.value().getMetadata();
        String status = Json.text(metadata.getProvisioningStatus());
        String detail = metadata.getProvisioningStatusDetail() == null ? ""
                : Json.text(metadata.getProvisioningStatusDetail().getMessage());
        String line = "reservation " + Json.text(metadata.getName()) + ": " + status
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

    /** The metadata of a new resource; tags and description only when given. */
    static ResourceWriteMetadata metadata(String name, String description, List<String> values) {
        ResourceWriteMetadata metadata = new ResourceWriteMetadata().name(name).description(description);
        for (String value : values) {
            Map.Entry<String, String> tag = tag(value);
            metadata.addTagsItem(new Tag().name(tag.getKey()).value(tag.getValue()));
        }
        return metadata;
    }

    @Command(name = "create", description = {"Reserve contiguous units in a region, now or for a window in time.",
            "Times are RFC 3339 (2026-06-01T00:00:00Z), now, or an offset from now (+2h, +P7D)."},
            mixinStandardHelpOptions = true)
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
        @Option(names = "--start", paramLabel = "TIME", description = "When the reservation starts (default now).") String start;
        @Option(names = "--end", paramLabel = "TIME", description = "When it ends and its units are released (default: open-ended).") String end;
        @Option(names = "--duration", converter = Durations.class, paramLabel = "DURATION",
                description = "Instead of --end: how long it lasts from its start, e.g. 48h or P7D.") Duration duration;
        @Option(names = "--dry-run", description = "Only ask whether the service would accept it now; nothing is created.") boolean dryRun;
        @Option(names = "--wait", description = "Wait until provisioned, showing progress; exit 3 if it ends in error.") boolean wait;
        @Option(names = "--timeout", defaultValue = "30m", converter = Durations.class,
                description = "How long --wait waits (default ${DEFAULT-VALUE}).") Duration timeout;

        @Override
        public Integer call() {
            if (end != null && duration != null) {
                throw new CliException("give --end or --duration, not both", CliException.USAGE);
            }
            if (dryRun && wait) {
                throw new CliException("--dry-run creates nothing to wait for", CliException.USAGE);
            }
            OffsetDateTime startTime = start == null ? null : Times.parse(start, root().clock());
            OffsetDateTime endTime = end != null ? Times.parse(end, root().clock())
                    : duration == null ? null
                    : (startTime != null ? startTime : Times.parse("now", root().clock())).plus(duration);
            ReservationV2Create body = new ReservationV2Create().metadata(metadata(name, description, tags))
                    .spec(new ReservationV2CreateSpec().organizationId(org).projectId(project).regionId(region)
                            .accelerator(accelerator).unit(unit).count(count).startTime(startTime).endTime(endTime));
            Api.Answer<ReservationV2Read> created = api().call(c -> c.reservations()
                    .createReservation(body, null, dryRun ? Boolean.TRUE : null));
            if (dryRun) {
                note("dry run: the service would accept this reservation now; nothing was created");
                show(created, () -> printTable(this, List.of(created.json())));
                return 0;
            }
            String id = created.value().getMetadata().getId();
            if (wait) {
                err().println("reservation " + id + " accepted; waiting for it to be provisioned");
            }
            Api.Answer<ReservationV2Read> result = wait
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
            if (tags != null) {
                tags.forEach(ReservationCommands::tag);
            }
            Api.Answer<List<ReservationV2Read>> response = api().call(c -> c.reservations()
                    .listReservations(tags, orgs, projects, regions));
            show(response, () -> printTable(this, items(response.json())));
            return 0;
        }
    }

    @Command(name = "get", description = "Show reservations.", mixinStandardHelpOptions = true)
    static class Get extends BaseCommand {
        @Parameters(arity = "1", paramLabel = "ID", description = "Reservation ID.") String id;

        @Override
        public Integer call() {
            Api.Answer<ReservationV2Read> response = api().call(c -> c.reservations().getReservation(id));
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

    @Command(name = "extend", description = {"Move the end of a reservation later (or give an open-ended one an end).",
            "Times are RFC 3339 (2026-06-01T00:00:00Z), now, or an offset from now (+2h, +P7D)."},
            mixinStandardHelpOptions = true)
    static class Extend extends BaseCommand {
        @Parameters(arity = "1", paramLabel = "ID", description = "Reservation ID.") String id;
        @Option(names = "--end", paramLabel = "TIME", description = "The new end.") String end;
        @Option(names = "--by", converter = Durations.class, paramLabel = "DURATION",
                description = "Instead of --end: this much later than the current end, e.g. 24h.") Duration by;

        @Override
        public Integer call() {
            if ((end == null) == (by == null)) {
                throw new CliException("give either --end or --by", CliException.USAGE);
            }
            OffsetDateTime endTime;
            if (end != null) {
                endTime = Times.parse(end, root().clock());
            } else {
                OffsetDateTime current = api().call(c -> c.reservations().getReservation(id)).value().getSpec().getEndTime();
                if (current == null) {
                    throw new CliException("reservation " + id + " is open-ended: give it an end with --end",
                            CliException.USAGE);
                }
                endTime = current.plus(by);
            }
            Api.Answer<ReservationV2Read> extended = api().call(c -> c.reservations()
                    .extendReservation(id, new ReservationV2Extend().endTime(endTime)));
            note("reservation " + id + " now ends at " + Json.text(extended.json(), "spec", "endTime"));
            show(extended, () -> printTable(this, List.of(extended.json())));
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
                api().call(c -> {
                    c.reservations().deleteReservation(id);
                    return null;
                });
                note("reservation " + id + " deletion accepted");
            }
            if (wait) {
                for (String id : ids) {
                    awaitGone(this, "reservation " + id, c -> c.reservations().getReservation(id).getMetadata(), timeout);
                }
            }
            return 0;
        }
    }

    /** Polls a resource (reading its metadata) until it answers 404. */
    static void awaitGone(BaseCommand command, String what, Api.Call<ProjectScopedResourceReadMetadata> get,
                          Duration timeout) {
        command.waiter(timeout).await(what, () -> {
            try {
                String status = Json.text(command.api().call(get).value().getProvisioningStatus());
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
