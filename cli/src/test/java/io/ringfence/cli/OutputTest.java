package io.ringfence.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OutputTest {

    @Test
    void tablesAlignColumnsAndShowDashesForEmptyCells() {
        StringWriter text = new StringWriter();
        new Table("ID", "NAME", "STATUS").row("a1", "long-name", "ok").row("b", "", "pending").print(new PrintWriter(text));
        assertEquals("ID   NAME        STATUS\na1   long-name   ok\nb    -           pending\n",
                text.toString().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void aWaitThatEndsInErrorPrintsTheTransitionsAndExitsWithThree() {
        StringWriter progress = new StringWriter();
        java.util.Iterator<String> states = List.of("pending", "provisioning", "provisioning", "error").iterator();
        Waiter waiter = new Waiter(new PrintWriter(progress), Duration.ofMillis(1), Duration.ofMinutes(1),
                java.time.Clock.systemUTC());
        CliException failure = org.junit.jupiter.api.Assertions.assertThrows(CliException.class, () -> waiter.await("reservation r",
                () -> {
                    String state = states.next();
                    return new Waiter.Observation<>(state, "reservation r: " + state, false, "error".equals(state));
                }));
        assertEquals(CliException.RESOURCE_ERROR, failure.exitCode());
        assertEquals("reservation r ended in error: error", failure.getMessage());
        List<String> lines = progress.toString().lines().map(l -> l.substring(l.indexOf(']') + 2)).toList();
        assertEquals(List.of("reservation r: pending", "reservation r: provisioning", "reservation r: error"), lines);
    }

    @Test
    void durationsReadHumanAndIsoForms() {
        assertEquals(Duration.ofMillis(250), Durations.parse("250ms"));
        assertEquals(Duration.ofMinutes(30), Durations.parse("30m"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("PT90S"));
    }

    @Test
    void timesReadRfc3339NowAndOffsetsFromNowInUtc() {
        java.time.Clock clock = java.time.Clock.fixed(java.time.Instant.parse("2026-05-14T10:00:00.250Z"),
                java.time.ZoneOffset.UTC);
        assertEquals("2026-06-01T00:00:00Z", Times.format(Times.parse("2026-06-01T02:00:00+02:00", clock)));
        assertEquals("2026-05-14T10:00:00Z", Times.format(Times.parse("now", clock)));
        assertEquals("2026-05-14T12:00:00Z", Times.format(Times.parse("+2h", clock)));
        assertEquals("2026-05-21T10:00:00Z", Times.format(Times.parse("now+P7D", clock)));
        assertEquals("2026-05-16T10:00:00Z", Times.format(Times.parse("+2d", clock)));
        CliException bad = org.junit.jupiter.api.Assertions.assertThrows(CliException.class,
                () -> Times.parse("tomorrow", clock));
        assertEquals(CliException.USAGE, bad.exitCode());
    }

    @Test
    void topologyMarksClaimedDomainsPlacementsAndUnhealthyHosts() {
        String topology = """
                [{"regionId":"r1","projections":[{"reservationUnit":{"accelerator":"GB300","unit":"NVL72",
                  "machineFlavorId":"f","deviceTypeResourceClass":"c","hostsPerUnit":4},
                  "topology":[{"id":"p1","name":"pod-1","domains":[
                    {"id":"d1","name":"nvl-01","hosts":[
                      {"infrastructureRef":"h1","reserved":true,"reservationRef":"res-1234567890","placementRef":"pl-1"},
                      {"infrastructureRef":"h2","reserved":true,"reservationRef":"res-1234567890"},
                      {"infrastructureRef":"h3","reserved":true,"reservationRef":"res-1234567890"},
                      {"infrastructureRef":"h4","reserved":true,"reservationRef":"res-1234567890"}]},
                    {"id":"d2","name":"nvl-02","hosts":[
                      {"infrastructureRef":"h5","reserved":true},{"infrastructureRef":"h6","reserved":true},
                      {"infrastructureRef":"h7","reserved":true},{"infrastructureRef":"h8","reserved":true}]},
                    {"id":"d3","name":"nvl-03","hosts":[
                      {"infrastructureRef":"h9","reserved":false},{"infrastructureRef":"h10","reserved":false},
                      {"infrastructureRef":"h11","reserved":false},{"infrastructureRef":"h12","reserved":false}]}]}],
                  "overlays":{"reservations":{"res-1234567890":{"metadata":{"id":"res-1234567890","name":"train",
                    "provisioningStatus":"provisioned","healthStatus":"degraded",
                    "healthStatusDetail":{"reason":"Degraded","message":"1/4 hosts are down"}}}},
                    "placements":{"pl-1":{"metadata":{"name":"workers"}}}}}]}]
                """;
        List<String> lines = TopologyRenderer.render(Json.parse(topology), Set.of("h3", "h10"));
        assertEquals("region r1  GB300/NVL72  (4 hosts per domain)", lines.get(0));
        assertEquals("  pod-1", lines.get(1));
        assertEquals("  * nvl-01  P#x#  reservation train (res-1234) provisioned, degraded (1/4 hosts are down); "
                + "placement workers (pl-1) 1 hosts; 1 unhealthy", lines.get(2));
        assertEquals("    nvl-02  rrrr", lines.get(3));
        assertEquals("    nvl-03  .x..  1 unhealthy", lines.get(4));
        assertTrue(lines.contains(TopologyRenderer.LEGEND));
        assertEquals("Your claimed domains: 1. Unhealthy hosts: 2.", lines.get(lines.size() - 1));

        List<String> unknownHealth = TopologyRenderer.render(Json.parse(topology), null);
        assertEquals("    nvl-03  ....", unknownHealth.get(4));
        assertTrue(unknownHealth.get(unknownHealth.size() - 1).contains("operators only"));
    }

    @Test
    void usageErrorsExitWithTwoAndAnInheritedOutputOptionReachesTheRoot() {
        StringWriter err = new StringWriter();
        var cli = Rfctl.commandLine(java.util.Map.of());
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        assertEquals(2, cli.execute("reservations", "create", "--name", "x"));
        assertTrue(err.toString().contains("Missing required options"), err::toString);

        Rfctl root = new Rfctl(java.util.Map.of("RFCTL_CONFIG", "/nonexistent/rfctl/config.json"));
        var cli2 = Rfctl.commandLine(root);
        StringWriter err2 = new StringWriter();
        cli2.setErr(new PrintWriter(err2, true));
        assertEquals(1, cli2.execute("reservations", "list", "-o", "json"));
        assertEquals(Rfctl.Output.json, root.output);
        assertTrue(err2.toString().startsWith("Error: no service URL"), err2::toString);
    }
}
