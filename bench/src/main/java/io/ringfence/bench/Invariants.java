package io.ringfence.bench;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The checks after a run, through the API and the database. Each broken invariant adds a line to
 * {@link #broken}; the run fails when any is there.
 */
final class Invariants {

    final List<String> broken = new ArrayList<>();
    final List<String> passed = new ArrayList<>();
    Duration convergedAfter;

    private final Api api;
    private final DatabaseBaseline db;
    private final PrintStream out;

    Invariants(Api api, DatabaseBaseline db, PrintStream out) {
        this.api = api;
        this.db = db;
        this.out = out;
    }

    /**
     * Every accepted create reaches provisioned (or, if its delete was accepted, is gone) within {@code timeout}.
     * Polls one list of every bench reservation.
     */
    void converge(Workloads work, Duration timeout) throws Exception {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long lastLine = 0;
        while (true) {
            Api.Answer answer = api.list(List.of(Map.entry("tag", "bench=run")));
            if (answer.status() != 200) {
                throw new IllegalStateException("listing every bench reservation answered " + answer.status());
            }
            Map<String, String> status = new HashMap<>();
            for (JsonNode r : answer.json()) {
                status.put(r.get("metadata").get("id").asString(), r.get("metadata").get("provisioningStatus").asString());
            }
            int notProvisioned = 0;
            int notGone = 0;
            int missing = 0;
            int errored = 0;
            for (String id : work.accepted) {
                String s = status.get(id);
                if (work.deleted.contains(id)) {
                    if (s != null) {
                        notGone++;
                    }
                } else if (s == null) {
                    missing++;
                } else if (s.equals("error")) {
                    errored++;
                } else if (!s.equals("provisioned")) {
                    notProvisioned++;
                }
            }
            if (missing > 0 || errored > 0) {
                broken.add("accepted reservations lost: " + missing + " missing from the list, " + errored
                        + " in state error");
            }
            long now = System.nanoTime();
            if (notProvisioned == 0 && notGone == 0) {
                convergedAfter = Duration.ofNanos(now - start);
                passed.add(String.format("every accepted request converged (%d accepted, %d deleted) after %.1f s",
                        work.accepted.size(), work.deleted.size(), convergedAfter.toMillis() / 1000.0));
                return;
            }
            if (now > deadline) {
                broken.add("not converged within " + timeout.toSeconds() + " s: " + notProvisioned
                        + " accepted reservations not provisioned, " + notGone + " deleted ones not gone");
                return;
            }
            if (now - lastLine > 5_000_000_000L) {
                out.printf("  converging: %d not yet provisioned, %d deleted not yet gone (%.0f s)%n", notProvisioned,
                        notGone, (now - start) / 1e9);
                lastLine = now;
            }
            Thread.sleep(1000);
        }
    }

    /** Deleted reservations answer 404 (a sample), live ones hold exactly spec.count units. */
    void checkApi(Workloads work) throws Exception {
        int checked = 0;
        int not404 = 0;
        String example = null;
        for (String id : work.deleted) {
            if (checked++ >= 100) {
                break;
            }
            Api.Answer answer = api.get(id);
            if (answer.status() != 404) {
                not404++;
                example = id + " answers " + answer.status();
            }
        }
        if (not404 > 0) {
            broken.add(not404 + " of " + Math.min(100, work.deleted.size()) + " deleted reservations checked do not "
                    + "answer 404 (e.g. " + example + ")");
        }
        Api.Answer list = api.list(List.of(Map.entry("tag", "bench=run")));
        int wrong = 0;
        int count = 0;
        for (JsonNode r : list.json()) {
            count++;
            if (r.get("status").get("claimedUnitCount").asInt() != r.get("spec").get("count").asInt()) {
                wrong++;
            }
        }
        int expected = work.accepted.size() - work.deleted.size();
        if (count != expected) {
            broken.add("the list shows " + count + " bench reservations, expected " + expected);
        }
        if (wrong > 0) {
            broken.add(wrong + " reservations with status.claimedUnitCount != spec.count");
        }
        if (count == expected && wrong == 0) {
            passed.add("API: " + count + " live reservations, each claimedUnitCount == count; " + Math.min(100,
                    work.deleted.size()) + " deleted ones answer 404");
        }
    }

    /** Claims in the database, and the catalog's figures against them. */
    void checkDatabaseAndCatalog() throws Exception {
        int before = broken.size();
        Map<String, long[]> regionCounts = new HashMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery(
                    "SELECT domain_id, count(*) FROM unit_claim GROUP BY domain_id HAVING count(*) > 1")) {
                if (rs.next()) {
                    broken.add("unit " + rs.getString(1) + " claimed " + rs.getLong(2) + " times");
                }
            }
            try (ResultSet rs = s.executeQuery("""
                    SELECT r.id, r.claimed_unit_count, count(c.domain_id), count(DISTINCT d.pod_id),
                           coalesce(bool_and(d.pod_id = r.pod_id), true)
                    FROM reservation r
                    LEFT JOIN unit_claim c ON c.reservation_id = r.id
                    LEFT JOIN nvlink_domain d ON d.id = c.domain_id
                    GROUP BY r.id, r.claimed_unit_count
                    HAVING count(c.domain_id) <> r.claimed_unit_count OR count(DISTINCT d.pod_id) > 1
                        OR NOT coalesce(bool_and(d.pod_id = r.pod_id), true)
                    LIMIT 10""")) {
                while (rs.next()) {
                    broken.add("reservation " + rs.getString(1) + ": claimed_unit_count " + rs.getInt(2) + ", claims "
                            + rs.getLong(3) + ", pods " + rs.getLong(4) + ", all in its pod " + rs.getBoolean(5));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM unit_claim c WHERE NOT EXISTS "
                    + "(SELECT 1 FROM reservation r WHERE r.id = c.reservation_id)")) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    broken.add(rs.getLong(1) + " claims without a reservation");
                }
            }
        }
        regionCounts = regionCounts();
        if (broken.size() == before) {
            passed.add("database: no unit claimed twice; every reservation has claimed_unit_count claims, all in its pod");
        }
        int regionsChecked = 0;
        int beforeCatalog = broken.size();
        JsonNode catalog = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            catalog = api.catalog().json();
            Map<String, long[]> after = regionCounts();
            if (same(after, regionCounts)) {
                break;
            }
            regionCounts = after; // claims moved while we read (work still running): read again
            Thread.sleep(500);
        }
        for (JsonNode entry : catalog) {
            if (!entry.get("accelerator").asString().equals("GB300") || !entry.get("unit").asString().equals("NVL72")) {
                continue;
            }
            String region = entry.get("regionId").asString();
            long[] counts = regionCounts.get(region);
            long available = entry.get("availableUnitCount").asLong();
            long total = entry.get("totalCount").asLong();
            if (counts == null) {
                broken.add("catalog region " + region + " unknown to the database");
                continue;
            }
            regionsChecked++;
            if (available + counts[0] + counts[1] != total || total != counts[2]) {
                broken.add(String.format("catalog of region %s: available %d + claimed %d + unhealthy free %d != total %d "
                        + "(database: %d units)", region, available, counts[0], counts[1], total, counts[2]));
            }
        }
        if (broken.size() == beforeCatalog) {
            passed.add("catalog: available + claimed + unhealthy free == total in all " + regionsChecked + " regions");
        }
    }

    /** Per region: claimed units, unhealthy free units, all units (from the database). */
    private Map<String, long[]> regionCounts() throws Exception {
        Map<String, long[]> counts = new HashMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT t.region_id,
                       count(*) FILTER (WHERE c.domain_id IS NOT NULL),
                       count(*) FILTER (WHERE c.domain_id IS NULL AND d.unhealthy_hosts > 0),
                       count(*)
                FROM nvlink_domain d JOIN pod p ON p.id = d.pod_id JOIN unit_type t ON t.id = p.unit_type_id
                LEFT JOIN unit_claim c ON c.domain_id = d.id
                WHERE t.accelerator = 'GB300' AND t.unit = 'NVL72'
                GROUP BY t.region_id""")) {
            while (rs.next()) {
                counts.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)});
            }
        }
        return counts;
    }

    private static boolean same(Map<String, long[]> a, Map<String, long[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, long[]> e : a.entrySet()) {
            if (!java.util.Arrays.equals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
