package io.ringfence.work;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.support.RingfenceTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** One claim leases exactly one work item, whatever plan PostgreSQL picks and however many claim at once. */
class WorkQueueClaimTest extends RingfenceTestBase {

    @Autowired
    WorkQueue queue;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate transactions;

    /**
     * With a nested loop the claim's choice of item was rescanned per row, and each rescan saw the item just
     * leased as no longer due and picked the next: one claim leased every due item. Forcing that plan shows it.
     */
    @Test
    void aClaimLeasesOneItemEvenWhenThePlanRescansTheChoice() {
        transactions.executeWithoutResult(status -> {
            for (int i = 0; i < 8; i++) {
                jdbc.sql("INSERT INTO work_item (kind, resource_id, not_before) VALUES ('reservation', ?, now() - interval '1 hour')")
                        .param("claim-plan-" + i).update();
            }
            // the plan a small, freshly analysed queue gets: the table looks like one row, so it is the outer side
            // of a nested loop and the choice of the due item is the inner side, executed once per row
            jdbc.sql("UPDATE pg_class SET reltuples = 1, relpages = 1 WHERE relname = 'work_item'").update();
            jdbc.sql("SET LOCAL enable_hashjoin = off").update();
            jdbc.sql("SET LOCAL enable_mergejoin = off").update();
            jdbc.sql("SET LOCAL enable_material = off").update();
            jdbc.sql("SET LOCAL enable_indexscan = off").update();
            jdbc.sql("SET LOCAL enable_bitmapscan = off").update();
            Optional<WorkItem> claimed = queue.claim("claim-plan-owner", Duration.ofMinutes(1));
            assertThat(claimed).isPresent();
            assertThat(jdbc.sql("SELECT count(*) FROM work_item WHERE leased_by = 'claim-plan-owner'")
                    .query(Long.class).single()).isEqualTo(1);
            status.setRollbackOnly();
        });
    }

    /**
     * Quick create and delete cycles: claims race with enqueues that bump the generation of the very items being
     * claimed, which is how one claim once leased several items and left them untouched for a whole lease.
     */
    @Test
    void concurrentClaimsNeverShareAnItemAndEachLeasesOne() throws Exception {
        int items = 200;
        // written directly rather than enqueued, so the service's own reconciler is not woken for them and the
        // claimers here race mostly with each other
        jdbc.sql("INSERT INTO work_item (kind, resource_id) SELECT 'reservation', 'claim-race-' || i "
                + "FROM generate_series(0, ?) AS i").param(items - 1).update();
        java.util.concurrent.atomic.AtomicBoolean racing = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread bumper = new Thread(() -> {
            int i = 0;
            while (racing.get()) {
                // a new request for an item already queued: the generation goes up (an item the service's own
                // reconciler finished is not queued again, so no item and generation is ever seen twice)
                jdbc.sql("UPDATE work_item SET generation = generation + 1, not_before = now() WHERE kind = 'reservation' "
                        + "AND resource_id = ?").param("claim-race-" + (i++ % items)).update();
            }
        });
        bumper.start();
        Set<String> claimedIds = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger overLeased = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> claimers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                claimers.add(pool.submit(() -> {
                    go.await();
                    for (int n = 0; n < 100; n++) {
                        String owner = "claim-race-" + thread + "-" + n;
                        Optional<WorkItem> item = queue.claim(owner, Duration.ofMinutes(1));
                        if (item.isEmpty()) {
                            break;
                        }
                        if (!item.get().resourceId().startsWith("claim-race-")) {
                            queue.release(item.get(), Duration.ZERO, null); // the service's own work: hand it back
                            continue;
                        }
                        if (!claimedIds.add(item.get().resourceId() + "/" + item.get().generation())) {
                            duplicates.incrementAndGet();
                        }
                        long leased = jdbc.sql("SELECT count(*) FROM work_item WHERE leased_by = ?").param(owner)
                                .query(Long.class).single();
                        if (leased != 1) {
                            overLeased.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> claimer : claimers) {
                claimer.get();
            }
        } finally {
            racing.set(false);
            bumper.join();
            pool.shutdownNow();
            jdbc.sql("DELETE FROM work_item WHERE resource_id LIKE 'claim-race-%'").update();
        }
        assertThat(duplicates).hasValue(0);
        assertThat(overLeased).hasValue(0);
        // the service's own reconciler may have taken some of them first; the rest were claimed here, once each
        assertThat(claimedIds).isNotEmpty();
    }

    /**
     * The ends of a shared pass, written in one go: an item done goes, unless it was asked for again meanwhile
     * (then it is due again at once); an item that yielded is due after its own delay and says why. Written and
     * checked in one transaction that is rolled back, so the service's own reconciler never sees these items.
     */
    @Test
    void settlingASharedPassEndsEachItemAsItsOwnOutcomeSays() {
        transactions.executeWithoutResult(status -> {
            jdbc.sql("""
                    INSERT INTO work_item (kind, resource_id, generation, leased_until, leased_by)
                    VALUES ('reservation', 'settle-done', 3, now() + interval '1 hour', 'settle-owner'),
                           ('reservation', 'settle-asked-again', 5, now() + interval '1 hour', 'settle-owner'),
                           ('placement', 'settle-yield', 1, now() + interval '1 hour', 'settle-owner')""").update();
            queue.settle(List.of(
                    WorkQueue.Settled.done(new WorkItem(WorkKind.RESERVATION, "settle-done", 3, 1, 0)),
                    // the pass saw generation 4; a request since made it 5
                    WorkQueue.Settled.done(new WorkItem(WorkKind.RESERVATION, "settle-asked-again", 4, 1, 0)),
                    new WorkQueue.Settled(new WorkItem(WorkKind.PLACEMENT, "settle-yield", 1, 1, 0),
                            Duration.ofHours(1), "waiting for servers to boot")));

            List<String> rows = jdbc.sql("""
                            SELECT resource_id || ' leased=' || (leased_by IS NOT NULL)
                                   || ' due=' || (CASE WHEN not_before = now() THEN 'now'
                                                       WHEN not_before = now() + interval '1 hour' THEN 'in 1 h'
                                                       ELSE not_before::text END)
                                   || ' reason=' || COALESCE(last_reason, '-')
                            FROM work_item WHERE resource_id LIKE 'settle-%' ORDER BY resource_id""")
                    .query(String.class).list();
            assertThat(rows).containsExactly(
                    "settle-asked-again leased=false due=now reason=-",
                    "settle-yield leased=false due=in 1 h reason=waiting for servers to boot");
            status.setRollbackOnly();
        });
    }
}
