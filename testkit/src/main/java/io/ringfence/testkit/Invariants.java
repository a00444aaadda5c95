package io.ringfence.testkit;

import io.ringfence.client.model.ReservationUnitV2;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The architecture's invariants, checked against a service's PostgreSQL (and its catalog and its simulated
 * platform's journal): one implementation for the tests and the load tool. Each check adds a line to
 * {@link #passed()} or lines to {@link #broken()}; {@link #assertAllHold()} turns broken ones into a failure.
 * Call the checks when the service is quiet (the work queue drained), except {@link #catalogAddsUp}, which
 * reads again while claims move.
 */
public final class Invariants {

    /** Opens a connection to the service's database. */
    public interface Database {
        Connection connect() throws SQLException;
    }

    private final Database database;
    private final List<String> passed = new ArrayList<>();
    private final List<String> broken = new ArrayList<>();

    public Invariants(Database database) {
        this.database = database;
    }

    /** Invariants over the PostgreSQL at this URL, user postgres, no password (the embedded one). */
    public static Invariants of(String jdbcUrl) {
        return of(jdbcUrl, "postgres", "");
    }

    public static Invariants of(String jdbcUrl, String user, String password) {
        return new Invariants(() -> DriverManager.getConnection(jdbcUrl, user, password));
    }

    public List<String> passed() {
        return passed;
    }

    public List<String> broken() {
        return broken;
    }

    /** Throws an AssertionError listing every broken invariant, if any. */
    public Invariants assertAllHold() {
        if (!broken.isEmpty()) {
            throw new AssertionError("invariants broken:\n  " + String.join("\n  ", broken));
        }
        return this;
    }

    /** Items in the reconciler's work queue (0 when every accepted change has converged). */
    public long queuedWork() {
        return count("SELECT count(*) FROM work_item");
    }

    /**
     * Invariants 1 and 2: no unit claimed twice; every reservation holds exactly claimed_unit_count claims, never
     * more than its count, all in one pod (its own); no claim without its reservation.
     */
    public Invariants claimsAreConsistent() {
        int before = broken.size();
        query("SELECT domain_id, count(*) FROM unit_claim GROUP BY domain_id HAVING count(*) > 1 LIMIT 10",
                rs -> broken.add("unit " + rs.getString(1) + " claimed " + rs.getLong(2) + " times"));
        query("""
                SELECT r.id, r.claimed_unit_count, r.unit_count, count(c.domain_id), count(DISTINCT d.pod_id),
                       coalesce(bool_and(d.pod_id = r.pod_id), true)
                FROM reservation r
                LEFT JOIN unit_claim c ON c.reservation_id = r.id
                LEFT JOIN nvlink_domain d ON d.id = c.domain_id
                GROUP BY r.id, r.claimed_unit_count, r.unit_count
                HAVING count(c.domain_id) <> r.claimed_unit_count OR r.claimed_unit_count > r.unit_count
                    OR count(DISTINCT d.pod_id) > 1 OR NOT coalesce(bool_and(d.pod_id = r.pod_id), true)
                LIMIT 10""", rs -> broken.add("reservation " + rs.getString(1) + ": claimed_unit_count " + rs.getInt(2)
                + " of count " + rs.getInt(3) + ", claims " + rs.getLong(4) + ", pods " + rs.getLong(5)
                + ", all in its pod " + rs.getBoolean(6)));
        long orphans = count("SELECT count(*) FROM unit_claim c WHERE NOT EXISTS "
                + "(SELECT 1 FROM reservation r WHERE r.id = c.reservation_id)");
        if (orphans > 0) {
            broken.add(orphans + " claims without a reservation");
        }
        if (broken.size() == before) {
            passed.add("database: no unit claimed twice; every reservation has claimed_unit_count claims, all in its pod");
        }
        return this;
    }

    /**
     * Placements hold hosts only inside units their own reservation claims (a host in two placements is ruled out
     * by the table's key), and no placement outlives its reservation.
     */
    public Invariants placementsStayInTheirReservations() {
        int before = broken.size();
        query("""
                SELECT h.infrastructure_ref, h.placement_id, h.reservation_id FROM placement_host h
                WHERE NOT EXISTS (SELECT 1 FROM unit_claim c
                                  WHERE c.domain_id = h.domain_id AND c.reservation_id = h.reservation_id)
                LIMIT 10""", rs -> broken.add("host " + rs.getString(1) + " of placement " + rs.getString(2)
                + " lies outside the units reservation " + rs.getString(3) + " claims"));
        query("""
                SELECT p.id, p.reservation_id FROM placement p
                WHERE NOT EXISTS (SELECT 1 FROM reservation r WHERE r.id = p.reservation_id) LIMIT 10""",
                rs -> broken.add("placement " + rs.getString(1) + " without its reservation " + rs.getString(2)));
        if (broken.size() == before) {
            passed.add("database: every placed host lies in a unit of its own reservation; no placement without one");
        }
        return this;
    }

    /**
     * A quiet service has finished every deletion and every release it accepted: nothing is left deprovisioning
     * (half deleted) and no released unit still waits for the platform.
     */
    public Invariants nothingHalfDone() {
        int before = broken.size();
        query("SELECT id, provisioning_status FROM reservation WHERE deletion_time IS NOT NULL "
                + "OR provisioning_status <> 'provisioned' LIMIT 10", rs -> broken.add("reservation "
                + rs.getString(1) + " left " + rs.getString(2)));
        query("SELECT id, provisioning_status FROM placement WHERE deletion_time IS NOT NULL "
                + "OR provisioning_status <> 'provisioned' LIMIT 10", rs -> broken.add("placement "
                + rs.getString(1) + " left " + rs.getString(2)));
        long releases = count("SELECT count(*) FROM unit_release");
        if (releases > 0) {
            broken.add(releases + " released units still waiting to be handed back to the platform");
        }
        if (broken.size() == before) {
            passed.add("database: every reservation and placement provisioned, nothing half deleted or half released");
        }
        return this;
    }

    /** A quiet service has prepared every unit it claimed (no claim waits for the platform). */
    public Invariants everyClaimPrepared() {
        long unprepared = count("SELECT count(*) FROM unit_claim WHERE NOT prepared");
        if (unprepared > 0) {
            broken.add(unprepared + " claimed units not prepared");
        } else {
            passed.add("database: every claimed unit prepared");
        }
        return this;
    }

    /** Invariant 2 for reservations started at create and never released from: each holds all of its count. */
    public Invariants everyReservationHoldsItsCount() {
        List<String> short_ = new ArrayList<>();
        query("SELECT id, claimed_unit_count, unit_count FROM reservation WHERE claimed_unit_count <> unit_count LIMIT 10",
                rs -> short_.add("reservation " + rs.getString(1) + " holds " + rs.getInt(2) + " of " + rs.getInt(3)
                        + " units"));
        broken.addAll(short_);
        if (short_.isEmpty()) {
            passed.add("database: every reservation holds its count");
        }
        return this;
    }

    /**
     * The catalog adds up: per region offering GB300/NVL72, available + claimed + unhealthy free units equal the
     * total, and the total equals the units in the database. {@code catalog} is read again (up to 10 times) until
     * the database's counts stand still around it, so this may run while work goes on.
     */
    public Invariants catalogAddsUp(Supplier<List<ReservationUnitV2>> catalog) {
        int before = broken.size();
        Map<String, long[]> counts = regionCounts();
        List<ReservationUnitV2> entries = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            entries = catalog.get();
            Map<String, long[]> after = regionCounts();
            if (same(after, counts)) {
                break;
            }
            counts = after; // claims moved while the catalog was read: read again
            Await.pause(500);
        }
        int regions = 0;
        for (ReservationUnitV2 entry : entries) {
            if (!Fixtures.ACCELERATOR.equals(entry.getAccelerator()) || !Fixtures.UNIT.equals(entry.getUnit())) {
                continue;
            }
            String region = entry.getRegionId();
            long[] db = counts.get(region);
            if (db == null) {
                broken.add("catalog region " + region + " unknown to the database");
                continue;
            }
            regions++;
            long available = entry.getAvailableUnitCount();
            long total = entry.getTotalCount();
            if (available + db[0] + db[1] != total || total != db[2]) {
                broken.add(String.format("catalog of region %s: available %d + claimed %d + unhealthy free %d != total %d "
                        + "(database: %d units)", region, available, db[0], db[1], total, db[2]));
            }
        }
        if (broken.size() == before) {
            passed.add("catalog: available + claimed + unhealthy free == total in all " + regions + " regions");
        }
        return this;
    }

    /**
     * Invariants 5 and 7 at the platform (the simulated platform's journal, which records every call, repeats
     * included): every claim was prepared exactly once for its owner, every release started once, and the units
     * the platform still holds are exactly the claimed ones.
     */
    public Invariants platformHoldsExactlyTheClaims(Path platformStateDir) {
        PlatformJournal journal = PlatformJournal.read(platformStateDir);
        Map<String, String> held = journal.unitOwners();
        Map<String, Integer> prepares = journal.startsPerKey("prepare-unit");
        journal.startsPerKey("release-unit").forEach((unitAndOwner, times) -> {
            if (times != 1) {
                broken.add("platform: release " + unitAndOwner + " started " + times + " times");
            }
        });
        int before = broken.size();
        prepares.forEach((unitAndOwner, times) -> {
            if (times != 1) {
                broken.add("platform: unit and owner " + unitAndOwner + " prepared " + times + " times");
            }
        });
        Map<String, String> claims = new HashMap<>();
        query("SELECT domain_id, reservation_id FROM unit_claim", rs -> claims.put(rs.getString(1), rs.getString(2)));
        if (!held.equals(claims)) {
            broken.add("platform holds " + held + " but the database claims " + claims);
        }
        if (broken.size() == before) {
            passed.add("platform: every claimed unit prepared once for its owner; it holds exactly the "
                    + claims.size() + " claimed units");
        }
        return this;
    }

    /**
     * Invariant 7 for every kind of platform work, servers included: each piece of work (kind, target, owner,
     * generation) was started once; a crash may make the service ask again, which the journal records as a repeat.
     */
    public Invariants everyPlatformOperationStartedOnce(Path platformStateDir) {
        PlatformJournal journal = PlatformJournal.read(platformStateDir);
        int before = broken.size();
        Map<String, Integer> kinds = new HashMap<>();
        journal.entries().stream().filter(PlatformJournal.Entry::start).forEach(e -> kinds.merge(e.kind(), 1, Integer::sum));
        for (String kind : kinds.keySet()) {
            journal.startsPerKey(kind).forEach((key, times) -> {
                if (times != 1) {
                    broken.add("platform: " + kind + " " + key + " started " + times + " times");
                }
            });
        }
        if (broken.size() == before) {
            passed.add("platform: each of " + kinds.values().stream().mapToInt(Integer::intValue).sum()
                    + " operations started once " + kinds);
        }
        return this;
    }

    /** Per region: claimed units, unhealthy free units, all units (GB300/NVL72). */
    private Map<String, long[]> regionCounts() {
        Map<String, long[]> counts = new HashMap<>();
        query("""
                SELECT t.region_id,
                       count(*) FILTER (WHERE c.domain_id IS NOT NULL),
                       count(*) FILTER (WHERE c.domain_id IS NULL AND d.unhealthy_hosts > 0),
                       count(*)
                FROM nvlink_domain d JOIN pod p ON p.id = d.pod_id JOIN unit_type t ON t.id = p.unit_type_id
                LEFT JOIN unit_claim c ON c.domain_id = d.id
                WHERE t.accelerator = 'GB300' AND t.unit = 'NVL72'
                GROUP BY t.region_id""",
                rs -> counts.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)}));
        return counts;
    }

    private interface Row {
        void read(ResultSet rs) throws SQLException;
    }

    private void query(String sql, Row row) {
        try (Connection c = database.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                row.read(rs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private long count(String sql) {
        long[] result = new long[1];
        query(sql, rs -> result[0] = rs.getLong(1));
        return result[0];
    }

    private static boolean same(Map<String, long[]> a, Map<String, long[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, long[]> e : a.entrySet()) {
            if (!Arrays.equals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
