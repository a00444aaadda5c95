package io.ringfence.bench;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * PostgreSQL's own limit for the reserve transaction, over JDBC, on scratch tables of its own
 * ({@code bench_capacity_pool}, {@code bench_reservation}), created here and dropped afterwards:
 * {@code BEGIN; SELECT ... FOR UPDATE; INSERT; UPDATE ... reserved = reserved + 1; COMMIT} on one hot row.
 */
final class DatabaseBaseline {

    private final String url;
    private final String user;
    private final String password;

    DatabaseBaseline(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** fsync and synchronous_commit as the server has them. */
    String settings() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            return "fsync=" + show(s, "fsync") + ", synchronous_commit=" + show(s, "synchronous_commit")
                    + ", full_page_writes=" + show(s, "full_page_writes") + ", server_version=" + show(s, "server_version");
        }
    }

    private static String show(Statement s, String name) throws SQLException {
        try (ResultSet rs = s.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Runs the transaction with {@code clients} connections: a short warm-up, then {@code seconds} measured. */
    Stats run(int clients, int seconds, int warmupSeconds, int progressSeconds, PrintStream out) throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS bench_reservation");
            s.execute("DROP TABLE IF EXISTS bench_capacity_pool");
            s.execute("CREATE TABLE bench_capacity_pool (pool_id int PRIMARY KEY, total bigint NOT NULL, "
                    + "reserved bigint NOT NULL)");
            s.execute("CREATE TABLE bench_reservation (id bigserial PRIMARY KEY, pool_id int NOT NULL, "
                    + "units int NOT NULL, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())");
            s.execute("INSERT INTO bench_capacity_pool VALUES (1, 1000000000000, 0)");
        }
        List<Connection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                Connection c = connect();
                c.setAutoCommit(false);
                connections.add(c);
            }
            if (warmupSeconds > 0) {
                Stats warm = new Stats("reserve");
                LoadPhase.run("database baseline warm-up", clients, warmupSeconds, progressSeconds,
                        warm, i -> transaction(connections.get(i), warm), out);
            }
            Stats stats = new Stats("reserve");
            LoadPhase.run("database baseline (hot-row reserve transaction over JDBC)", clients, seconds, progressSeconds,
                    stats, i -> transaction(connections.get(i), stats), out);
            return stats;
        } finally {
            for (Connection c : connections) {
                c.close();
            }
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS bench_reservation");
                s.execute("DROP TABLE IF EXISTS bench_capacity_pool");
            }
        }
    }

    private static LoadPhase.Client transaction(Connection c, Stats stats) {
        try {
            PreparedStatement lock = c.prepareStatement(
                    "SELECT total, reserved FROM bench_capacity_pool WHERE pool_id = 1 FOR UPDATE");
            PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO bench_reservation (pool_id, units, name) VALUES (1, ?, ?)");
            PreparedStatement update = c.prepareStatement(
                    "UPDATE bench_capacity_pool SET reserved = reserved + ? WHERE pool_id = 1");
            long[] n = {0};
            return () -> {
                long start = System.nanoTime();
                try {
                    try (ResultSet rs = lock.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) - rs.getLong(2) < 1) {
                            throw new IllegalStateException("scratch pool exhausted");
                        }
                    }
                    insert.setInt(1, 1);
                    insert.setString(2, String.format(Locale.ROOT, "bench-%d", n[0]++));
                    insert.executeUpdate();
                    update.setInt(1, 1);
                    update.executeUpdate();
                    c.commit();
                    stats.success("reserve", System.nanoTime() - start);
                } catch (SQLException e) {
                    c.rollback();
                    stats.failure("reserve", -1);
                }
            };
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
