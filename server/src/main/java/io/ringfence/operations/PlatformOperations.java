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
import java.util.HashMap;
import java.util.SortedSet;
import java.util.TreeSet;
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
        wantAll(List.of(regionId), List.of(operation));
    }

    /**
     * A provisioner's pass over its platform work: records {@code wanted} (in one transaction), starts what the
     * region's bound allows, and returns how all of {@code owner}'s work stands now.
     */
    public Map<OperationKey, TrackedOperation> pursue(String regionId, String owner,
                                                      List<? extends PlatformOperation> wanted) {
        return pursueAll(List.of(new Pursuit(regionId, owner, wanted))).getOrDefault(owner, Map.of());
    }

    /** One owner's platform work in one region, as a pass wants it. */
    public record Pursuit(String regionId, String owner, List<? extends PlatformOperation> wanted) {
        public Pursuit {
            wanted = List.copyOf(wanted);
        }
    }

    /**
     * Several owners' passes at once, as {@link #pursue} makes one: what they want is recorded in one statement,
     * each region concerned is dispatched once, and how every owner's work stands is read and recorded in one
     * go. A reconciler pass over many resources costs a handful of statements instead of a handful each.
     */
    public Map<String, Map<OperationKey, TrackedOperation>> pursueAll(List<Pursuit> pursuits) {
        List<PlatformOperation> wanted = new ArrayList<>();
        List<String> regions = new ArrayList<>();
        for (Pursuit pursuit : pursuits) {
            for (PlatformOperation operation : pursuit.wanted()) {
                wanted.add(operation);
                regions.add(pursuit.regionId());
            }
        }
        if (!wanted.isEmpty()) {
            wantAll(regions, wanted);
            dispatchAll(new TreeSet<>(regions));
        }
        return refreshAll(pursuits.stream().map(Pursuit::owner).distinct().toList());
    }

    /** Records that the operations are wanted, each in its region; wanting one again changes nothing. */
    private void wantAll(List<String> regions, List<PlatformOperation> operations) {
        int n = operations.size();
        String[] kinds = new String[n];
        String[] targets = new String[n];
        String[] owners = new String[n];
        Long[] generations = new Long[n];
        String[] bodies = new String[n];
        for (int i = 0; i < n; i++) {
            OperationKey key = operations.get(i).key();
            kinds[i] = key.kind().value();
            targets[i] = key.target();
            owners[i] = key.owner();
            generations[i] = key.generation();
            bodies[i] = json.writeValueAsString(operations.get(i));
        }
        // in the order given: requested_at (clock_timestamp) then orders each owner's work as it was asked for
        jdbc.sql("""
                        INSERT INTO platform_operation (kind, target, owner, generation, region_id, operation)
                        SELECT k, t, o, g, r, b::jsonb
                        FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[])
                            WITH ORDINALITY AS w(k, t, o, g, r, b, i)
                        ORDER BY i
                        ON CONFLICT DO NOTHING""")
                .params(kinds, targets, owners, generations, regions.toArray(String[]::new), bodies)
                .update();
    }

    /**
     * Starts wanted work of the region while fewer than the platform's bound are in flight. One dispatcher per
     * region at a time (across replicas), under a transaction-scoped advisory lock; the platform's start returns
     * at once. Returns how many operations it started.
     */
    public int dispatch(String regionId) {
        return dispatchAll(new TreeSet<>(List.of(regionId)));
    }

    /**
     * {@link #dispatch} for several regions in one transaction. Their advisory locks are taken in name order, so
     * two dispatchers over overlapping regions wait for each other rather than deadlock. Within a region each
     * owner's first wanted operation goes before anyone's second (counting what already runs).
     */
    public int dispatchAll(SortedSet<String> regionIds) {
        if (regionIds.isEmpty()) {
            return 0;
        }
        String[] regions = regionIds.toArray(String[]::new);
        Integer started = transactions.execute(status -> {
            jdbc.sql("""
                            SELECT count(*) FROM (
                                SELECT pg_advisory_xact_lock(hashtext('platform_operation:' || r))
                                FROM (SELECT r FROM unnest(?::text[]) WITH ORDINALITY AS g(r, i) ORDER BY i) AS ordered
                            ) AS locked""")
                    .param(regions).query(Long.class).single();
            Map<String, Long> inFlight = new HashMap<>();
            jdbc.sql("""
                            SELECT region_id, count(*) FROM platform_operation
                            WHERE region_id = ANY(?) AND state = 'started' GROUP BY region_id""")
                    .param(regions)
                    .query((rs, n) -> inFlight.put(rs.getString(1), rs.getLong(2)))
                    .list();
            List<String> open = new ArrayList<>();
            List<Long> slots = new ArrayList<>();
            for (String region : regions) {
                long free = provider.maxInFlight(region) - inFlight.getOrDefault(region, 0L);
                if (free > 0) {
                    open.add(region);
                    slots.add(free);
                }
            }
            if (open.isEmpty()) {
                return 0;
            }
            List<PlatformOperation> next = jdbc.sql("""
                            SELECT kind, operation FROM (
                                SELECT w.kind, w.operation::text AS operation, w.region_id, w.turn, w.requested_at,
                                       row_number() OVER (PARTITION BY w.region_id ORDER BY w.turn, w.requested_at)
                                           AS place
                                FROM (
                                    SELECT o.kind, o.operation, o.region_id, o.requested_at,
                                           row_number() OVER (PARTITION BY o.region_id, o.owner
                                                              ORDER BY o.requested_at, o.target)
                                               + COALESCE(f.running, 0) AS turn
                                    FROM platform_operation o
                                    LEFT JOIN (SELECT region_id, owner, count(*) AS running FROM platform_operation
                                               WHERE region_id = ANY(?) AND state = 'started'
                                               GROUP BY region_id, owner) f
                                           ON f.region_id = o.region_id AND f.owner = o.owner
                                    WHERE o.region_id = ANY(?) AND o.state = 'wanted') w
                            ) ranked
                            JOIN unnest(?::text[], ?::bigint[]) AS s(region_id, slots) USING (region_id)
                            WHERE ranked.place <= s.slots
                            ORDER BY region_id, place""")
                    .params(regions, regions, open.toArray(String[]::new), slots.toArray(Long[]::new))
                    .query((rs, n) -> read(rs.getString(1), rs.getString(2)))
                    .list();
            if (next.isEmpty()) {
                return 0;
            }
            provider.startAll(next);
            List<OperationKey> keys = next.stream().map(PlatformOperation::key).toList();
            jdbc.sql("""
                            UPDATE platform_operation o SET state = 'started', started_at = now(), started_by = ?,
                                attempts = o.attempts + 1
                            FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[]) AS k(kind, target, owner, generation)
                            WHERE o.kind = k.kind AND o.target = k.target AND o.owner = k.owner
                              AND o.generation = k.generation""")
                    .params(REPLICA, column(keys, k -> k.kind().value()), column(keys, OperationKey::target),
                            column(keys, OperationKey::owner), keys.stream().map(OperationKey::generation)
                                    .toArray(Long[]::new))
                    .update();
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
        return refreshAll(List.of(owner)).getOrDefault(owner, Map.of());
    }

    /**
     * {@link #refresh} for several owners: one read, one question to the platform, one transaction. Work that
     * finished or still runs is recorded in one statement per outcome; the rare failure row by row.
     */
    public Map<String, Map<OperationKey, TrackedOperation>> refreshAll(List<String> owners) {
        List<TrackedOperation> tracked = tracked(owners);
        Map<String, Map<OperationKey, TrackedOperation>> result = new LinkedHashMap<>();
        owners.forEach(owner -> result.put(owner, new LinkedHashMap<>()));
        tracked.forEach(t -> result.computeIfAbsent(t.key().owner(), o -> new LinkedHashMap<>()).put(t.key(), t));
        List<OperationKey> started = tracked.stream()
                .filter(t -> t.stage() == TrackedOperation.Stage.STARTED).map(TrackedOperation::key).toList();
        if (started.isEmpty()) {
            return result;
        }
        Map<OperationKey, OperationState> states = provider.states(started);
        transactions.executeWithoutResult(status -> {
            List<OperationKey> succeeded = new ArrayList<>();
            List<OperationKey> running = new ArrayList<>();
            List<Long> expected = new ArrayList<>();
            // rows in key order (tracked is read in that order), so two transactions never lock them crosswise
            for (OperationKey key : started) {
                OperationState state = states.get(key);
                if (state == null) {
                    continue;
                }
                Map<OperationKey, TrackedOperation> ofOwner = result.get(key.owner());
                switch (state.phase()) {
                    case SUCCEEDED -> {
                        succeeded.add(key);
                        ofOwner.put(key, new TrackedOperation(key, TrackedOperation.Stage.SUCCEEDED, null, null));
                    }
                    case RUNNING -> {
                        running.add(key);
                        expected.add(state.expectedBy() == null ? null : state.expectedBy().toEpochMilli());
                        ofOwner.put(key, new TrackedOperation(key, TrackedOperation.Stage.STARTED,
                                state.expectedBy(), null));
                    }
                    default -> ofOwner.put(key, record(key, state, ofOwner.get(key)));
                }
            }
            if (!succeeded.isEmpty()) {
                jdbc.sql("""
                                UPDATE platform_operation o SET state = 'succeeded', expected_by = NULL
                                FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[]) AS k(kind, target, owner, generation)
                                WHERE o.kind = k.kind AND o.target = k.target AND o.owner = k.owner
                                  AND o.generation = k.generation AND o.state = 'started'""")
                        .params(keyColumns(succeeded)).update();
            }
            if (!running.isEmpty()) {
                jdbc.sql("""
                                UPDATE platform_operation o SET expected_by = to_timestamp(k.expected_ms / 1000.0)
                                FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[])
                                    AS k(kind, target, owner, generation, expected_ms)
                                WHERE o.kind = k.kind AND o.target = k.target AND o.owner = k.owner
                                  AND o.generation = k.generation AND o.state = 'started'
                                  AND o.expected_by IS DISTINCT FROM to_timestamp(k.expected_ms / 1000.0)""")
                        .params(append(keyColumns(running), expected.toArray(Long[]::new))).update();
            }
        });
        return result;
    }

    /** Forgets the owner's work: it is finished with, or the owner is gone. */
    public void forget(String owner) {
        forget(List.of(owner));
    }

    /** Forgets the work of several owners. */
    public void forget(List<String> owners) {
        jdbc.sql("DELETE FROM platform_operation WHERE owner = ANY(?)").param(owners.toArray(String[]::new)).update();
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

    /** Records work the platform failed or lost; finished and running work is recorded in bulk by refreshAll. */
    private TrackedOperation record(OperationKey key, OperationState state, TrackedOperation before) {
        String where = " WHERE kind = ? AND target = ? AND owner = ? AND generation = ? AND state = 'started'";
        Object[] keyParams = {key.kind().value(), key.target(), key.owner(), key.generation()};
        switch (state.phase()) {
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

    private List<TrackedOperation> tracked(List<String> owners) {
        return jdbc.sql("""
                        SELECT kind, target, owner, generation, state, expected_by, failure
                        FROM platform_operation WHERE owner = ANY(?)
                        ORDER BY kind, target, owner, generation""")
                .param(owners.toArray(String[]::new))
                .query(PlatformOperations::trackedRow)
                .list();
    }

    private static Object[] keyColumns(List<OperationKey> keys) {
        return new Object[] {column(keys, k -> k.kind().value()), column(keys, OperationKey::target),
                column(keys, OperationKey::owner), keys.stream().map(OperationKey::generation).toArray(Long[]::new)};
    }

    private static String[] column(List<OperationKey> keys, java.util.function.Function<OperationKey, String> part) {
        return keys.stream().map(part).toArray(String[]::new);
    }

    private static Object[] append(Object[] first, Object last) {
        Object[] all = java.util.Arrays.copyOf(first, first.length + 1);
        all[first.length] = last;
        return all;
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
