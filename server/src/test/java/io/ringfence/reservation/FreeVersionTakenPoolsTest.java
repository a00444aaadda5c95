package io.ringfence.reservation;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.fleet.FleetStore;
import io.ringfence.support.RingfenceTestBase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A transaction that took the free-set versions of several pools (a group of creates) bumps each of them once: the
 * deferred row triggers of its claims and bookings, which call {@code pool_free_version_bump_domain}, skip every
 * pool it took, not only the last. Counted with PostgreSQL's own function statistics, in a transaction rolled back.
 */
class FreeVersionTakenPoolsTest extends RingfenceTestBase {

    @Autowired
    DataSource dataSource;

    @Autowired
    FleetStore fleet;

    @Test
    void theRowTriggersOfATransactionSkipEveryPoolItTook() throws SQLException {
        long a = fleet.unitType("test-group-a", "GB300", "NVL72").orElseThrow().id();
        long b = fleet.unitType("test-group-b", "GB300", "NVL72").orElseThrow().id();
        long untaken = fleet.unitType("test-restart", "GB300", "NVL72").orElseThrow().id();
        try (Connection db = dataSource.getConnection()) {
            db.setAutoCommit(false);
            try {
                execute(db, "SET LOCAL track_functions = 'all'");
                take(db, a);
                take(db, b);
                assertThat(bumps(db)).isEqualTo(2);

                // what the triggers of a claim or booking row in each pool call at commit
                bumpDomain(db, domainOf(db, a));
                bumpDomain(db, domainOf(db, b));
                assertThat(bumps(db)).as("both taken pools skipped").isEqualTo(2);

                bumpDomain(db, domainOf(db, untaken));
                assertThat(bumps(db)).as("a pool the transaction did not take is bumped").isEqualTo(3);
            } finally {
                db.rollback();
                db.setAutoCommit(true);
            }
        }
    }

    private static void execute(Connection db, String sql) throws SQLException {
        try (PreparedStatement s = db.prepareStatement(sql)) {
            s.execute();
        }
    }

    private static void take(Connection db, long pool) throws SQLException {
        try (PreparedStatement s = db.prepareStatement("SELECT pool_free_version_take(?, 0)")) {
            s.setLong(1, pool);
            s.executeQuery().close();
        }
    }

    private static void bumpDomain(Connection db, String domain) throws SQLException {
        try (PreparedStatement s = db.prepareStatement("SELECT pool_free_version_bump_domain(?)")) {
            s.setString(1, domain);
            s.executeQuery().close();
        }
    }

    private static String domainOf(Connection db, long pool) throws SQLException {
        try (PreparedStatement s = db.prepareStatement(
                "SELECT d.id FROM nvlink_domain d JOIN pod p ON p.id = d.pod_id WHERE p.unit_type_id = ? LIMIT 1")) {
            s.setLong(1, pool);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).as("a domain in pool " + pool).isTrue();
                return rs.getString(1);
            }
        }
    }

    /** Calls of pool_free_version_bump in this transaction so far. */
    private static long bumps(Connection db) throws SQLException {
        try (PreparedStatement s = db.prepareStatement(
                "SELECT COALESCE(sum(calls), 0) FROM pg_stat_xact_user_functions WHERE funcname = 'pool_free_version_bump'");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
