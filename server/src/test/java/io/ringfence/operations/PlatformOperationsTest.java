package io.ringfence.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.provider.PlatformOperation;
import io.ringfence.testkit.PlatformJournal;
import io.ringfence.support.RingfenceTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The platform's bound on work in flight, against the real ledger in PostgreSQL and the simulated platform's
 * journal, with real concurrency: the test region {@value #REGION} takes {@value #BOUND} operations at once
 * (set in {@link RingfenceTestBase}), and far more are wanted than that.
 */
class PlatformOperationsTest extends RingfenceTestBase {

    static final String REGION = "bound-test";
    static final int BOUND = 4;
    /** The simulated platform's power-operation time in the test service, which deletions take. */
    static final Duration DELETE_LATENCY = Duration.ofMillis(200);

    @Autowired
    PlatformOperations operations;
    @Autowired
    TransactionTemplate transactions;

    @Test
    void aBurstLargerThanTheBoundNeverHasMoreInFlightAndEveryOperationStartsOnce() throws Exception {
        List<String> owners = List.of("bound-owner-a", "bound-owner-b", "bound-owner-c");
        List<PlatformOperation> wanted = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            // one owner wants most of the work: it must not starve the other two
            String owner = i < 18 ? owners.get(0) : owners.get(1 + i % 2);
            wanted.add(new PlatformOperation.DeleteServer("bound-srv-" + i, owner));
        }
        transactions.executeWithoutResult(s -> wanted.forEach(op -> operations.want(REGION, op)));

        // the first dispatch takes each owner's first operation before anyone's second
        operations.dispatch(REGION);
        List<PlatformJournal.Entry> first = starts();
        assertThat(first).hasSize(BOUND);
        assertThat(first.stream().map(PlatformJournal.Entry::owner).distinct()).hasSize(3);

        // eight workers dispatch and record outcomes at once, as reconciler passes on several replicas would
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Void>> workers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                workers.add(pool.submit((Callable<Void>) () -> {
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (System.nanoTime() < deadline) {
                        operations.dispatch(REGION);
                        boolean done = true;
                        for (String owner : owners) {
                            Map<?, TrackedOperation> work = operations.refresh(owner);
                            done &= work.values().stream().allMatch(TrackedOperation::succeeded);
                        }
                        if (done) {
                            return null;
                        }
                        Thread.sleep(20);
                    }
                    throw new AssertionError("the burst did not finish in 30 s");
                }));
            }
            for (Future<Void> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }

        PlatformJournal journal = PlatformJournal.read(DATA_DIR.resolve("simulated-platform"));
        Map<String, Integer> startsPerKey = new java.util.HashMap<>();
        starts().forEach(e -> startsPerKey.merge(e.key(), 1, Integer::sum));
        assertThat(startsPerKey).hasSize(24);
        assertThat(startsPerKey.values()).allMatch(n -> n == 1);
        // the ledger counts work as in flight until a pass sees it done, which is never earlier than the
        // platform finishes it: so the platform's own view never exceeds the bound either
        assertThat(journal.mostRunningAtOnce(e -> e.target().startsWith("bound-srv-"), DELETE_LATENCY))
                .isBetween(2, BOUND);
        owners.forEach(operations::forget);
    }

    /**
     * One shared pass over owners in two regions: the bounded region starts only what its bound allows, the other
     * starts all its work, every owner gets back its own work and nobody else's, and a second shared pass starts
     * nothing twice.
     */
    @Test
    void aSharedPassKeepsEachRegionsBoundAndStartsEachOperationOnce() throws Exception {
        List<PlatformOperations.Pursuit> pursuits = new ArrayList<>();
        for (int o = 0; o < 3; o++) {
            String owner = "shared-bounded-" + o;
            pursuits.add(new PlatformOperations.Pursuit(REGION, owner, List.of(
                    new PlatformOperation.DeleteServer("shared-b-srv-" + o + "-0", owner),
                    new PlatformOperation.DeleteServer("shared-b-srv-" + o + "-1", owner))));
        }
        for (int o = 0; o < 3; o++) {
            String owner = "shared-open-" + o;
            pursuits.add(new PlatformOperations.Pursuit("shared-open-region", owner, List.of(
                    new PlatformOperation.DeleteServer("shared-o-srv-" + o, owner))));
        }

        Map<String, Map<io.ringfence.provider.OperationKey, TrackedOperation>> first = operations.pursueAll(pursuits);

        assertThat(first).containsOnlyKeys(pursuits.stream().map(PlatformOperations.Pursuit::owner).toList());
        first.forEach((owner, work) -> assertThat(work.keySet()).allMatch(k -> k.owner().equals(owner)));
        long boundedStarted = first.entrySet().stream().filter(e -> e.getKey().startsWith("shared-bounded-"))
                .flatMap(e -> e.getValue().values().stream())
                .filter(t -> t.stage() != TrackedOperation.Stage.WANTED).count();
        // each bounded owner's first operation goes before anyone's second, up to the bound
        assertThat(boundedStarted).isEqualTo(Math.min(BOUND, 6));
        assertThat(first.entrySet().stream().filter(e -> e.getKey().startsWith("shared-bounded-"))
                .allMatch(e -> e.getValue().values().stream().anyMatch(t -> t.stage() != TrackedOperation.Stage.WANTED)))
                .isTrue();
        assertThat(first.entrySet().stream().filter(e -> e.getKey().startsWith("shared-open-"))
                .flatMap(e -> e.getValue().values().stream())
                .allMatch(t -> t.stage() != TrackedOperation.Stage.WANTED)).isTrue();

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<String, Map<io.ringfence.provider.OperationKey, TrackedOperation>> now = first;
        while (!now.values().stream().flatMap(w -> w.values().stream()).allMatch(TrackedOperation::succeeded)) {
            assertThat(System.nanoTime()).as("the shared work finishes in 30 s").isLessThan(deadline);
            Thread.sleep(50);
            now = operations.pursueAll(pursuits);
        }
        Map<String, Integer> startsPerKey = new java.util.HashMap<>();
        PlatformJournal.read(DATA_DIR.resolve("simulated-platform")).entries().stream()
                .filter(e -> e.start() && e.target().startsWith("shared-"))
                .forEach(e -> startsPerKey.merge(e.key(), 1, Integer::sum));
        assertThat(startsPerKey).hasSize(9);
        assertThat(startsPerKey.values()).allMatch(n -> n == 1);
        pursuits.forEach(p -> operations.forget(p.owner()));
    }

    private List<PlatformJournal.Entry> starts() {
        return PlatformJournal.read(DATA_DIR.resolve("simulated-platform")).entries().stream()
                .filter(e -> e.start() && e.target().startsWith("bound-srv-")).toList();
    }

}
