package io.ringfence.work;

import java.time.Duration;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The reconciler's work queue in PostgreSQL. Enqueueing happens in the same transaction as the change that
 * needs converging, so an accepted request can never lose its work. Any replica claims due items with
 * {@code FOR UPDATE SKIP LOCKED} and holds a lease; a replica that dies simply lets its lease run out.
 */
@Repository
public class WorkQueue {

    private final JdbcClient jdbc;
    private final WorkSignal signal;

    public WorkQueue(JdbcClient jdbc, WorkSignal signal) {
        this.jdbc = jdbc;
        this.signal = signal;
    }

    /** Asks for a pass over the resource now. Bumps the generation of an item already queued or in flight. */
    public void enqueue(WorkKind kind, String resourceId) {
        jdbc.sql("""
                        INSERT INTO work_item (kind, resource_id) VALUES (?, ?)
                        ON CONFLICT (kind, resource_id) DO UPDATE
                        SET generation = work_item.generation + 1, not_before = now(), attempts = 0""")
                .params(kind.value(), resourceId).update();
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
        return jdbc.sql("""
                        WITH due AS MATERIALIZED (
                            SELECT kind, resource_id, not_before FROM work_item
                            WHERE not_before <= now() AND (leased_until IS NULL OR leased_until < now())
                            ORDER BY not_before
                            LIMIT 1
                            FOR UPDATE SKIP LOCKED)
                        UPDATE work_item w
                        SET leased_until = now() + ? * interval '1 millisecond', leased_by = ?, attempts = w.attempts + 1
                        FROM due
                        WHERE w.kind = due.kind AND w.resource_id = due.resource_id
                        RETURNING w.kind, w.resource_id, w.generation, w.attempts,
                            (extract(epoch FROM now() - due.not_before) * 1000)::bigint AS waited""")
                .params(lease.toMillis(), owner)
                .query((rs, n) -> new WorkItem(WorkKind.fromValue(rs.getString("kind")), rs.getString("resource_id"),
                        rs.getLong("generation"), rs.getInt("attempts"), Math.max(0, rs.getLong("waited"))))
                .optional();
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
