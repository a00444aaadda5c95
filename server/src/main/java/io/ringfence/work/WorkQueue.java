package io.ringfence.work;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The reconciler's work queue in PostgreSQL. Enqueueing happens in the same transaction as the change that
 * needs converging, so an accepted request can never lose its work. Any replica claims due items with
 * {@code FOR UPDATE SKIP LOCKED} and holds a lease; a replica that dies simply lets its lease run out.
 */
@Repository
public class WorkQueue {

    private final JdbcClient jdbc;
    private final WorkSignal signal;
    private final TransactionTemplate transactions;

    public WorkQueue(JdbcClient jdbc, WorkSignal signal, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.signal = signal;
        this.transactions = transactions;
    }

    /** Asks for a pass over the resource now. Bumps the generation of an item already queued or in flight. */
    public void enqueue(WorkKind kind, String resourceId) {
        enqueueAll(kind, List.of(resourceId));
    }

    /** {@link #enqueue} for several resources of one kind, in one statement. */
    public void enqueueAll(WorkKind kind, Collection<String> resourceIds) {
        if (resourceIds.isEmpty()) {
            return;
        }
        // distinct: one statement may not update the same row twice
        jdbc.sql("""
                        INSERT INTO work_item (kind, resource_id)
                        SELECT DISTINCT ?, r FROM unnest(?::text[]) AS r
                        ON CONFLICT (kind, resource_id) DO UPDATE
                        SET generation = work_item.generation + 1, not_before = now(), attempts = 0""")
                .params(kind.value(), resourceIds.toArray(String[]::new)).update();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    signal.wake();
                }
            });
        } else {
            signal.wake();
        }
    }

    /**
     * Leases the item due longest, if any. The due item is chosen once, in a materialized CTE: as a plain
     * sub-select joined to the table, PostgreSQL may rescan it per row, and every rescan under
     * {@code SKIP LOCKED} can pick a different row, so one claim could lease several items.
     */
    public Optional<WorkItem> claim(String owner, Duration lease) {
        return claim(owner, lease, 1).stream().findFirst();
    }

    /** Leases up to {@code limit} due items, those due longest first (see {@link #claim(String, Duration)}). */
    public List<WorkItem> claim(String owner, Duration lease, int limit) {
        return jdbc.sql("""
                        WITH due AS MATERIALIZED (
                            SELECT kind, resource_id, not_before FROM work_item
                            WHERE not_before <= now() AND (leased_until IS NULL OR leased_until < now())
                            ORDER BY not_before
                            LIMIT ?
                            FOR UPDATE SKIP LOCKED)
                        UPDATE work_item w
                        SET leased_until = now() + ? * interval '1 millisecond', leased_by = ?, attempts = w.attempts + 1
                        FROM due
                        WHERE w.kind = due.kind AND w.resource_id = due.resource_id
                        RETURNING w.kind, w.resource_id, w.generation, w.attempts,
                            (extract(epoch FROM now() - due.not_before) * 1000)::bigint AS waited""")
                .params(limit, lease.toMillis(), owner)
                .query((rs, n) -> new WorkItem(WorkKind.fromValue(rs.getString("kind")), rs.getString("resource_id"),
                        rs.getLong("generation"), rs.getInt("attempts"), Math.max(0, rs.getLong("waited"))))
                .list();
    }

    /** How one pass over a leased item ended, for {@link #settle}: done, or due again after {@code delay}. */
    public record Settled(WorkItem item, Duration delay, String reason) {
        public static Settled done(WorkItem item) {
            return new Settled(item, null, null);
        }

        boolean done() {
            return delay == null;
        }
    }

    /**
     * Records the ends of many passes in one transaction: {@link #complete} for those done, {@link #release} for
     * those that yielded, each with its own delay and reason.
     */
    public void settle(List<Settled> passes) {
        List<Settled> done = passes.stream().filter(Settled::done).toList();
        List<Settled> yielded = passes.stream().filter(p -> !p.done()).toList();
        transactions.executeWithoutResult(status -> {
            List<WorkItem> reEnqueued = new ArrayList<>();
            if (!done.isEmpty()) {
                Set<String> deleted = new HashSet<>(jdbc.sql("""
                                DELETE FROM work_item w
                                USING unnest(?::text[], ?::text[], ?::bigint[]) AS d(kind, resource_id, generation)
                                WHERE w.kind = d.kind AND w.resource_id = d.resource_id AND w.generation = d.generation
                                RETURNING w.kind || '/' || w.resource_id""")
                        .params(column(done, s -> s.item().kind().value()), column(done, s -> s.item().resourceId()),
                                done.stream().map(s -> s.item().generation()).toArray(Long[]::new))
                        .query(String.class).list());
                done.stream().map(Settled::item)
                        .filter(i -> !deleted.contains(i.kind().value() + "/" + i.resourceId()))
                        .forEach(reEnqueued::add);
            }
            List<Settled> releases = new ArrayList<>(yielded);
            reEnqueued.forEach(item -> releases.add(new Settled(item, Duration.ZERO, null)));
            if (!releases.isEmpty()) {
                jdbc.sql("""
                                UPDATE work_item w
                                SET leased_until = NULL, leased_by = NULL, last_reason = r.reason,
                                    not_before = CASE WHEN w.generation = r.generation
                                        THEN now() + r.delay_ms * interval '1 millisecond' ELSE now() END
                                FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::text[])
                                    AS r(kind, resource_id, generation, delay_ms, reason)
                                WHERE w.kind = r.kind AND w.resource_id = r.resource_id""")
                        .params(column(releases, s -> s.item().kind().value()),
                                column(releases, s -> s.item().resourceId()),
                                releases.stream().map(s -> s.item().generation()).toArray(Long[]::new),
                                releases.stream().map(s -> s.delay().toMillis()).toArray(Long[]::new),
                                column(releases, Settled::reason))
                        .update();
            }
        });
    }

    private static String[] column(List<Settled> passes, Function<Settled, String> part) {
        return passes.stream().map(part).toArray(String[]::new);
    }

    /** The pass converged. If the item was re-enqueued meanwhile, it stays for another pass. */
    public void complete(WorkItem item) {
        int deleted = jdbc.sql("DELETE FROM work_item WHERE kind = ? AND resource_id = ? AND generation = ?")
                .params(item.kind().value(), item.resourceId(), item.generation()).update();
        if (deleted == 0) {
            release(item, Duration.ZERO, null);
        }
    }

    /** Hands the item back, due again after {@code delay} (or at once if it was re-enqueued meanwhile). */
    public void release(WorkItem item, Duration delay, String reason) {
        jdbc.sql("""
                        UPDATE work_item
                        SET leased_until = NULL, leased_by = NULL, last_reason = ?,
                            not_before = CASE WHEN generation = ? THEN now() + ? * interval '1 millisecond' ELSE now() END
                        WHERE kind = ? AND resource_id = ?""")
                .params(reason, item.generation(), delay.toMillis(), item.kind().value(), item.resourceId()).update();
    }

    /** Parks the item until the resource is enqueued again. */
    public void park(WorkItem item, String reason) {
        jdbc.sql("""
                        UPDATE work_item
                        SET leased_until = NULL, leased_by = NULL, last_reason = ?,
                            not_before = CASE WHEN generation = ? THEN 'infinity'::timestamptz ELSE now() END
                        WHERE kind = ? AND resource_id = ?""")
                .params(reason, item.generation(), item.kind().value(), item.resourceId()).update();
    }

    /** Hands back every item leased by {@code owner}, due at once. */
    public int releaseLeasesOf(String owner) {
        return jdbc.sql("UPDATE work_item SET leased_until = NULL, leased_by = NULL WHERE leased_by = ?")
                .param(owner).update();
    }

}
