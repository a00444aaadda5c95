package io.ringfence.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringfence.testkit.Fixtures;
import io.ringfence.testkit.RawHttp;
import io.ringfence.testkit.ServiceProcess;
import io.ringfence.testkit.Tokens;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * rfctl against the real service: the packaged server jar runs in its own JVM on a free port with a fresh data
 * directory and fast simulated delays (the test kit's launcher); rfctl's main runs in-process through picocli
 * with captured output.
 *
 * <p>A service process of its own, since this module's tests run in a JVM of their own: it is the one service of
 * that JVM (the other tests here need none).
 */
class RfctlEndToEndTest {

    static final String ORG = Fixtures.DEMO_ORG;
    static final String PROJECT = Fixtures.DEMO_PROJECT;
    static final String REGION = Fixtures.DOCS_REGION;
    static final String NETWORK = Fixtures.DOCS_NETWORK;

    static ServiceProcess service;
    static Path work;
    static String url;

    record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    @BeforeAll
    static void startService() throws Exception {
        service = ServiceProcess.create("rfctl-e2e").quickPlatform().start();
        url = service.url();
        work = Files.createTempDirectory("rfctl-e2e");
    }

    @AfterAll
    static void stopService() throws Exception {
        if (service != null) {
            service.close();
        }
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    static Map<String, String> env(String client) {
        Map<String, String> env = new HashMap<>();
        env.put("RINGFENCE_URL", url);
        env.put("RINGFENCE_CLIENT_ID", client);
        env.put("RINGFENCE_CLIENT_SECRET", client + "-secret");
        env.put("RFCTL_CONFIG", work.resolve("config-" + client).resolve("config.json").toString());
        env.put("RFCTL_POLL_INTERVAL", "100ms");
        return env;
    }

    static Run rfctl(String... args) {
        return rfctl(env("ringfence-demo"), args);
    }

    static Run rfctl(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = Rfctl.commandLine(env);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static Run ok(String... args) {
        Run run = rfctl(args);
        assertEquals(0, run.exit(), () -> "rfctl " + String.join(" ", args) + "\n" + run);
        return run;
    }

    static String token(String client) {
        return Tokens.of(url, new Fixtures.Client(client, client + "-secret"));
    }

    static RawHttp.Response call(String method, String path, String token, String json) {
        return new RawHttp(url).send(method, token, path, json == null ? Map.of() : Map.of("Content-Type", "application/json"),
                json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    /** The API's own answer, fetched without rfctl. */
    static JsonNode api(String path) {
        RawHttp.Response response = call("GET", path, token("ringfence-demo"), null);
        assertEquals(200, response.status(), response::text);
        return Json.parse(response.text());
    }

    static List<String> lines(String text) {
        return Arrays.stream(text.split("\n")).filter(l -> !l.isBlank()).toList();
    }

    static void assertNoStackTrace(Run run) {
        assertFalse(run.err().contains("\tat ") || run.err().contains("Exception"), () -> "stack trace printed:\n" + run);
    }

    @Test
    void reservationPlacementServersTopologyAndDelete() throws Exception {
        // The catalog, as a table.
        Run units = ok("units", "list");
        assertTrue(lines(units.out()).get(0).matches("REGION\\s+ACCELERATOR\\s+UNIT\\s+HOSTS/UNIT.*"), units::toString);
        assertTrue(units.out().contains(REGION), units::toString);

        // Create with --wait: progress on stderr, the provisioned reservation on stdout.
        Run created = ok("reservations", "create", "--name", "e2e-training", "--org", ORG, "--project", PROJECT,
                "--region", REGION, "--accelerator", "GB300", "--unit", "NVL72", "--count", "3",
                "--tag", "workload=training", "--tag", "suite=rfctl", "--wait", "-o", "json");
        JsonNode reservation = Json.parse(created.out());
        String reservationId = reservation.path("metadata").path("id").asString();
        assertEquals("provisioned", reservation.path("metadata").path("provisioningStatus").asString(), created::toString);
        assertEquals(3, reservation.path("status").path("claimedUnitCount").asInt());
        assertTrue(created.err().contains("reservation e2e-training: provisioned"), created::toString);

        // List as a table: aligned columns with the new reservation.
        Run table = ok("reservations", "list", "--org", ORG, "--tag", "suite=rfctl");
        List<String> rows = lines(table.out());
        assertTrue(rows.get(0).startsWith("ID"), table::toString);
        assertEquals(2, rows.size(), table::toString);
        assertTrue(rows.get(1).startsWith(reservationId) && rows.get(1).contains("e2e-training")
                && rows.get(1).contains("GB300/NVL72") && rows.get(1).contains("provisioned"), table::toString);
        assertEquals(rows.get(0).indexOf("NAME"), rows.get(1).indexOf("e2e-training"), "columns are aligned");

        // List as JSON: exactly the API's answer for the same filter.
        Run json = ok("reservations", "list", "--org", ORG, "--tag", "suite=rfctl", "-o", "json");
        assertEquals(api("/api/v2/reservations?organizationID=" + ORG + "&tag=suite%3Drfctl"), Json.parse(json.out()));
        assertEquals(reservationId, Json.parse(json.out()).get(0).path("metadata").path("id").asString());

        // A spread placement of 8 hosts with --wait shows the servers coming up.
        Run placed = ok("placements", "create", "--name", "e2e-workers", "--reservation", reservationId,
                "--network", NETWORK, "--image", "ubuntu-24.04", "--count", "8", "--spread", "--max-skew", "1",
                "--min-domains", "3", "--wait");
        assertTrue(placed.err().contains("8/8 servers running"), placed::toString);
        List<String> placementRows = lines(placed.out());
        assertTrue(placementRows.get(1).contains("e2e-workers") && placementRows.get(1).contains("spread")
                && placementRows.get(1).contains("provisioned"), placed::toString);
        String placementId = placementRows.get(1).split("\\s+")[0];

        Run placements = ok("placements", "list", "--reservation", reservationId, "-o", "json");
        assertEquals(8, Json.parse(placements.out()).get(0).path("status").path("readyHostCount").asInt(), placements::toString);

        // Servers: eight running, then a reboot and a hard reboot are accepted.
        Run servers = ok("servers", "list", "--placement", placementId);
        List<String> serverRows = lines(servers.out());
        assertEquals(9, serverRows.size(), servers::toString);
        assertTrue(serverRows.stream().skip(1).allMatch(row -> row.contains("Running")), servers::toString);
        String first = serverRows.get(1).split("\\s+")[0];
        String second = serverRows.get(2).split("\\s+")[0];
        Run reboot = ok("servers", "reboot", "--placement", placementId, first);
        assertTrue(reboot.out().contains("reboot of server " + first + " accepted"), reboot::toString);
        Run hard = ok("servers", "reboot", "--placement", placementId, second, "--hard");
        assertTrue(hard.out().contains("hard reboot of server " + second + " accepted"), hard::toString);
        Run server = ok("servers", "get", "--placement", placementId, first, "-o", "json");
        assertEquals(first, Json.parse(server.out()).path("metadata").path("id").asString());

        // Topology: the three claimed NVLink domains are starred and show the placement's hosts.
        Run topology = ok("topology", "show", "--org", ORG, "--region", REGION);
        List<String> claimed = lines(topology.out()).stream().filter(l -> l.startsWith("  * ")).toList();
        assertEquals(3, claimed.size(), topology::toString);
        assertTrue(claimed.stream().allMatch(l -> l.contains("reservation e2e-training (" + reservationId.substring(0, 8) + ")")),
                topology::toString);
        assertEquals(8, claimed.stream().mapToLong(l -> l.trim().split("\\s+")[2].chars().filter(c -> c == 'P').count()).sum(),
                topology::toString);
        assertTrue(topology.out().contains("Your claimed domains: 3."), topology::toString);

        // Delete, wait until it is gone; then reading it shows the API's 404 message.
        Run deleted = ok("reservations", "delete", reservationId, "--wait");
        assertTrue(deleted.out().contains("reservation " + reservationId + " deletion accepted"), deleted::toString);
        assertTrue(deleted.err().contains("deleted"), deleted::toString);
        Run gone = rfctl("reservations", "get", reservationId);
        assertEquals(1, gone.exit(), gone::toString);
        assertTrue(gone.err().contains("Error: the requested resource does not exist"), gone::toString);
        assertNoStackTrace(gone);
    }

    @Test
    void offeringsDryRunBookingInTimeAndExtend() {
        String[] type = {"--region", REGION, "--accelerator", "GB300", "--unit", "NVL72"};

        // Offerings: a table of windows, earliest first, none before the earliest start asked for.
        Run offerings = ok(concat(new String[] {"offerings", "--count", "2", "--duration", "PT48H",
                "--earliest-start", "+1d", "--limit", "3"}, type));
        List<String> offerRows = lines(offerings.out());
        assertTrue(offerRows.get(0).matches("START\\s+END\\s+REGION\\s+TYPE\\s+COUNT"), offerings::toString);
        assertTrue(offerRows.size() >= 2 && offerRows.size() <= 4, offerings::toString);
        Instant start = Instant.parse(offerRows.get(1).split("\\s+")[0]);
        Instant end = Instant.parse(offerRows.get(1).split("\\s+")[1]);
        assertTrue(start.isAfter(Instant.now().plusSeconds(23 * 3600)), offerings::toString);
        assertEquals(48 * 3600, end.getEpochSecond() - start.getEpochSecond(), offerings::toString);

        // A dry run of booking that window says yes and creates nothing.
        String[] booking = concat(new String[] {"reservations", "create", "--name", "e2e-later", "--org", ORG,
                "--project", PROJECT, "--count", "2", "--start", start.toString(), "--duration", "48h",
                "--tag", "suite=rfctl-time"}, type);
        Run dry = ok(concat(booking, new String[] {"--dry-run"}));
        assertTrue(dry.out().contains("dry run: the service would accept this reservation now; nothing was created"),
                dry::toString);
        assertEquals(0, api("/api/v2/reservations?tag=suite%3Drfctl-time").size());

        // Booked for later: pending until its start, its window in the START and END columns.
        Run booked = ok(booking);
        List<String> bookedRows = lines(booked.out());
        assertTrue(bookedRows.get(0).contains("START") && bookedRows.get(0).contains("END"), booked::toString);
        assertTrue(bookedRows.get(1).contains(start.toString()) && bookedRows.get(1).contains(end.toString())
                && bookedRows.get(1).contains("pending"), booked::toString);
        String id = bookedRows.get(1).split("\\s+")[0];
        Run get = ok("reservations", "get", id);
        assertTrue(get.out().contains("scheduled to start at"), get::toString);

        // Extend by a day, then to an explicit end; an earlier end is refused with the API's message.
        Instant later = end.plusSeconds(24 * 3600);
        Run extended = ok("reservations", "extend", id, "--by", "24h");
        assertTrue(extended.out().contains("now ends at " + later), extended::toString);
        Run explicit = ok("reservations", "extend", id, "--end", later.plusSeconds(3600).toString(), "-o", "json");
        assertEquals(later.plusSeconds(3600).toString(), Json.parse(explicit.out()).path("spec").path("endTime").asString(),
                explicit::toString);
        Run earlier = rfctl("reservations", "extend", id, "--end", start.plusSeconds(7200).toString());
        assertEquals(1, earlier.exit(), earlier::toString);
        assertTrue(earlier.err().startsWith("Error: ") && earlier.err().contains("[HTTP 400"), earlier::toString);
        assertNoStackTrace(earlier);

        Run badTime = rfctl("reservations", "extend", id, "--end", "tomorrow");
        assertEquals(2, badTime.exit(), badTime::toString);
        assertTrue(badTime.err().contains("is not a time"), badTime::toString);

        ok("reservations", "delete", id, "--wait");
    }

    static String[] concat(String[] first, String[] second) {
        String[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    @Test
    void anOperatorSeesUnhealthyHostsInTheTopology() throws Exception {
        String operator = token("ringfence-operator");
        JsonNode hosts = Json.parse(call("GET", "/api/v2/operator/hosts?regionID=" + REGION, operator, null).text());
        JsonNode victim = null;
        for (JsonNode host : hosts) {
            if (!host.has("reservationId")) {
                victim = host;
            }
        }
        String ref = victim.path("infrastructureRef").asString();
        String domain = victim.path("domainName").asString();
        assertEquals(200, call("PUT", "/api/v2/operator/hosts/" + ref + "/health", operator,
                "{\"healthy\":false,\"reason\":\"rfctl test\"}").status());
        try {
            Run topology = rfctl(env("ringfence-operator"), "topology", "show", "--org", ORG, "--region", REGION);
            assertEquals(0, topology.exit(), topology::toString);
            // Domain names repeat per pod: exactly one line of that name carries the mark.
            assertEquals(1, lines(topology.out()).stream().filter(l -> l.trim().startsWith(domain + " ")
                    && l.trim().split("\\s+")[1].chars().filter(c -> c == 'x').count() == 1
                    && l.endsWith("1 unhealthy")).count(), topology::toString);
            assertTrue(topology.out().contains("Unhealthy hosts: 1."), topology::toString);

            // A customer cannot see single hosts' health; the output says so instead of marking nothing silently.
            Run customer = ok("topology", "show", "--org", ORG, "--region", REGION);
            assertTrue(customer.out().contains("Unhealthy hosts are shown to operators only"), customer::toString);
        } finally {
            call("PUT", "/api/v2/operator/hosts/" + ref + "/health", operator, "{\"healthy\":true}");
        }
    }

    @Test
    void anUnsatisfiableCreatePrintsTheApiMessageAndFails() {
        Run run = rfctl("reservations", "create", "--name", "too-big", "--org", ORG, "--project", PROJECT,
                "--region", REGION, "--accelerator", "GB300", "--unit", "NVL72", "--count", "999", "--wait");
        assertNotEquals(0, run.exit(), run::toString);
        assertEquals("", run.out(), run::toString);
        assertTrue(run.err().startsWith("Error: insufficient capacity"), run::toString);
        assertTrue(run.err().contains("[HTTP 507"), run::toString);
        assertNoStackTrace(run);
    }

    @Test
    void aForeignOrganizationIsRefusedWithTheApiMessage() {
        Run run = rfctl(env("ringfence-other"), "reservations", "create", "--name", "not-mine", "--org", ORG,
                "--project", PROJECT, "--region", REGION, "--accelerator", "GB300", "--unit", "NVL72", "--count", "1");
        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.err().startsWith("Error: ") && run.err().contains("[HTTP 403"), run::toString);
        assertNoStackTrace(run);
    }

    @Test
    void aContextKeepsTheClientAndCachesItsTokenInAPrivateFile() throws Exception {
        Map<String, String> env = new HashMap<>();
        Path config = work.resolve("contexts").resolve("rfctl").resolve("config.json");
        env.put("RFCTL_CONFIG", config.toString());
        env.put("RINGFENCE_CLIENT_SECRET", "ringfence-demo-secret");
        assertEquals(0, rfctl(env, "context", "set", "local", "--url", url, "--client-id", "ringfence-demo").exit());
        assertEquals(0, rfctl(env, "context", "set", "elsewhere", "--url", "http://127.0.0.1:9").exit());

        Run units = rfctl(env, "units", "list", "-o", "json");
        assertEquals(0, units.exit(), units::toString);
        assertEquals(api("/api/v2/reservation-units"), Json.parse(units.out()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config.getParent())));
        Config saved = new ConfigStore(config).load();
        Config.Context local = saved.context("local").orElseThrow();
        assertTrue(local.token != null && local.tokenExpiry > Instant.now().getEpochSecond(), "token cached");

        // The cached token is used without the secret.
        env.remove("RINGFENCE_CLIENT_SECRET");
        assertEquals(0, rfctl(env, "units", "list").exit());

        Run list = rfctl(env, "context", "list");
        assertTrue(list.out().contains("*") && list.out().contains("valid until"), list::toString);
        assertFalse(list.out().contains(local.token), "tokens are never printed");

        Run other = rfctl(env, "--context", "elsewhere", "units", "list");
        assertEquals(1, other.exit(), other::toString);
        assertTrue(other.err().contains("not signed in to http://127.0.0.1:9"), other::toString);
    }
}
