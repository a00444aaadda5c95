package io.ringfence.operations;

import io.ringfence.provider.BareMetalProvider;
import io.ringfence.provider.OperationKey;
import io.ringfence.provider.OperationKind;
import io.ringfence.provider.OperationState;
import io.ringfence.provider.PlatformOperation;
import java.lang.management.ManagementFactory;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The platform work Ringfence wants done, and the one way it reaches the platform. Provisioners say what they
 * want ({@link #want}), which records the intent; {@link #dispatch} starts wanted work while fewer than the
 * platform's bound are in flight in the region, in a fair order between owners (each owner's first wanted
 * operation before anyone's second), and {@link #refresh} records how started work stands. No thread ever waits
 * on the platform: a provisioner yields and looks again when the platform expects its work done.
 */
@Component
public class PlatformOperations {

    private static final Logger log = LoggerFactory.getLogger(PlatformOperations.class);
    /** Which replica started a piece of work, for operators. */
    private static final String REPLICA = ManagementFactory.getRuntimeMXBean().getName();

    private final JdbcClient jdbc;
    private final BareMetalProvider provider;
    private final TransactionTemplate transactions;
    private final JsonMapper json;
    private final int maxAttempts;

    public PlatformOperations(JdbcClient jdbc, BareMetalProvider provider, TransactionTemplate transactions,
                              JsonMapper json,
                              @Value("${ringfence.provider.max-attempts:12}") int maxAttempts) {
        this.jdbc = jdbc;
        this.provider = provider;
        this.transactions = transactions;
        this.json = json;
        this.maxAttempts = maxAttempts;
    }

    /** Records that the operation is wanted in {@code regionId}; wanting it again changes nothing. */
    public void want(String regionId, PlatformOperation operation) {
        OperationKey key = operation.key();
        jdbc.sql("""
                        INSERT INTO platform_operation (kind, target, owner, generation, region_id, operation)
                        VALUES (?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT DO NOTHING""")
                .params(key.kind().value(), key.target(), key.owner(), key.generation(), regionId,
                        json.writeValueAsString(operation))
                .update();
    }

    /**
     * A provisioner's pass over its platform work: records {@code wanted} (in one transaction), starts what the
     * region's bound allows, and returns how all of {@code owner}'s work stands now.
     */
    public Map<OperationKey, TrackedOperation> pursue(String regionId, String owner,
                                                      List<? extends PlatformOperation> wanted) {
        if (!wanted.isEmpty()) {
            transactions.executeWithoutResult(status -> wanted.forEach(op -> want(regionId, op)));
            dispatch(regionId);
        }
        return refresh(owner);
    }

    /**
     * Starts wanted work of the region while fewer than the platform's bound are in flight. One dispatcher per
     * region at a time (across replicas), under a transaction-scoped advisory lock; the platform's start returns
     * at once. Returns how many operations it started.
     */
    public int dispatch(String regionId) {
        Integer started = transactions.execute(status -> {
            jdbc.sql("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext('platform_operation:' || ?))) AS locked")
                    .param(regionId).query(Integer.class).single();
            long inFlight = jdbc.sql("SELECT count(*) FROM platform_operation WHERE region_id = ? AND state = 'started'")
                    .param(regionId).query(Long.class).single();
            long slots = provider.maxInFlight(regionId) - inFlight;
            if (slots <= 0) {
                return 0;
            }
            List<PlatformOperation> next = jdbc.sql("""
                            SELECT w.kind, w.operation::text FROM (
                                SELECT o.kind, o.operation, o.requested_at,
                                       row_number() OVER (PARTITION BY o.owner ORDER BY o.requested_at, o.target)
                                           + COALESCE(f.running, 0) AS turn
                                FROM platform_operation o
                                LEFT JOIN (SELECT owner, count(*) AS running FROM platform_operation
                                           WHERE region_id = ? AND state = 'started' GROUP BY owner) f
                                       ON f.owner = o.owner
                                WHERE o.region_id = ? AND o.state = 'wanted') w
                            ORDER BY w.turn, w.requested_at
                            LIMIT ?""")
                    .params(regionId, regionId, slots)
                    .query((rs, n) -> read(rs.getString(1), rs.getString(2)))
                    .list();
            for (PlatformOperation operation : next) {
                provider.start(operation);
                OperationKey key = operation.key();
                jdbc.sql("""
                                UPDATE platform_operation SET state = 'started', started_at = now(), started_by = ?,
                                    attempts = attempts + 1
                                WHERE kind = ? AND target = ? AND owner = ? AND generation = ?""")
                        .params(REPLICA, key.kind().value(), key.target(), key.owner(), key.generation()).update();
            }
            return next.size();
        });
        return started == null ? 0 : started;
    }

    /**
     * Asks the platform how the owner's started work stands and records it (rows in key order, so that two passes
     * over one owner never lock them in opposite orders): done, failed for good, or (after a
     * retryable failure, fewer than the allowed attempts) wanted again. Returns all of the owner's work.
     */
    public Map<OperationKey, TrackedOperation> refresh(String owner) {
        List<TrackedOperation> tracked = tracked(owner);
        List<OperationKey> started = tracked.stream()
                .filter(t -> t.stage() == TrackedOperation.Stage.STARTED).map(TrackedOperation::key).toList();
        Map<OperationKey, TrackedOperation> result = new LinkedHashMap<>();
        tracked.forEach(t -> result.put(t.key(), t));
        if (started.isEmpty()) {
            return result;
        }
        Map<OperationKey, OperationState> states = provider.states(started);
        transactions.executeWithoutResult(status -> states.forEach((key, state) ->
                result.put(key, record(key, state, result.get(key)))));
        return result;
    }

    /** Forgets the owner's work: it is finished with, or the owner is gone. */
    public void forget(String owner) {
        jdbc.sql("DELETE FROM platform_operation WHERE owner = ?").param(owner).update();
    }

    /** Forgets one piece of work. */
    public void forget(OperationKey key) {
        jdbc.sql("DELETE FROM platform_operation WHERE kind = ? AND target = ? AND owner = ? AND generation = ?")
                .params(key.kind().value(), key.target(), key.owner(), key.generation()).update();
    }

    /** When to look again at work in these stages: when the platform expects the first of it done. */
    public static Duration lookAgain(Collection<TrackedOperation> operations, Duration floor, Duration ceiling) {
        Instant now = Instant.now();
        Duration wait = ceiling;
        for (TrackedOperation operation : operations) {
            if (operation.stage() == TrackedOperation.Stage.STARTED && operation.expectedBy() != null) {
                Duration until = Duration.between(now, operation.expectedBy());
                wait = until.compareTo(wait) < 0 ? until : wait;
            }
        }
        return wait.compareTo(floor) < 0 ? floor : wait;
    }

    private TrackedOperation record(OperationKey key, OperationState state, TrackedOperation before) {
        String where = " WHERE kind = ? AND target = ? AND owner = ? AND generation = ? AND state = 'started'";
        Object[] keyParams = {key.kind().value(), key.target(), key.owner(), key.generation()};
        switch (state.phase()) {
            case SUCCEEDED -> {
                jdbc.sql("UPDATE platform_operation SET state = 'succeeded', expected_by = NULL" + where)
                        .params(keyParams).update();
                return new TrackedOperation(key, TrackedOperation.Stage.SUCCEEDED, null, null);
            }
            case RUNNING -> {
                jdbc.sql("UPDATE platform_operation SET expected_by = ?" + where)
                        .params(prepend(state.expectedBy() == null ? null : Timestamp.from(state.expectedBy()), keyParams))
                        .update();
                return new TrackedOperation(key, TrackedOperation.Stage.STARTED, state.expectedBy(), null);
            }
            case FAILED -> {
                int attempts = jdbc.sql("SELECT attempts FROM platform_operation WHERE kind = ? AND target = ? "
                        + "AND owner = ? AND generation = ?").params(keyParams).query(Integer.class).optional().orElse(0);
                if (state.retryable() && attempts < maxAttempts) {
                    log.warn("Platform operation {} failed (attempt {}); starting it again: {}", key, attempts,
                            state.failure());
                    jdbc.sql("UPDATE platform_operation SET state = 'wanted', failure = ?" + where)
                            .params(prepend(state.failure(), keyParams)).update();
                    return new TrackedOperation(key, TrackedOperation.Stage.WANTED, null, state.failure());
                }
                log.warn("Platform operation {} failed for good after {} attempts: {}", key, attempts, state.failure());
                jdbc.sql("UPDATE platform_operation SET state = 'failed', failure = ?" + where)
                        .params(prepend(state.failure(), keyParams)).update();
                return new TrackedOperation(key, TrackedOperation.Stage.FAILED, null, state.failure());
            }
            default -> {
                // the platform has no record of started work (it lost it): want it again
                jdbc.sql("UPDATE platform_operation SET state = 'wanted'" + where).params(keyParams).update();
                return new TrackedOperation(key, TrackedOperation.Stage.WANTED, null, before.failure());
            }
        }
    }

    private List<TrackedOperation> tracked(String owner) {
        return jdbc.sql("""
                        SELECT kind, target, owner, generation, state, expected_by, failure
                        FROM platform_operation WHERE owner = ?
                        ORDER BY kind, target, generation""")
                .param(owner)
                .query(PlatformOperations::trackedRow)
                .list();
    }

    private static TrackedOperation trackedRow(ResultSet rs, int row) throws SQLException {
        Timestamp expected = rs.getTimestamp("expected_by");
        return new TrackedOperation(new OperationKey(OperationKind.fromValue(rs.getString("kind")),
                rs.getString("target"), rs.getString("owner"), rs.getLong("generation")),
                TrackedOperation.Stage.fromValue(rs.getString("state")),
                expected == null ? null : expected.toInstant(), rs.getString("failure"));
    }

    private PlatformOperation read(String kind, String operation) {
        Class<? extends PlatformOperation> type = switch (OperationKind.fromValue(kind)) {
            case PREPARE_UNIT -> PlatformOperation.PrepareUnit.class;
            case RELEASE_UNIT -> PlatformOperation.ReleaseUnit.class;
            case CREATE_SERVER -> PlatformOperation.CreateServer.class;
            case DELETE_SERVER -> PlatformOperation.DeleteServer.class;
            case POWER_SERVER -> PlatformOperation.PowerServer.class;
            case REIMAGE_SERVER -> PlatformOperation.ReimageServer.class;
        };
        return json.readValue(operation, type);
    }

    private static Object[] prepend(Object first, Object[] rest) {
        List<Object> all = new ArrayList<>();
        all.add(first);
        all.addAll(List.of(rest));
        return all.toArray();
    }
}
