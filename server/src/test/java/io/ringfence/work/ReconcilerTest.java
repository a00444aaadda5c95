package io.ringfence.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reconciler's retry delays, and what it does with each outcome of a pass, with the queue's storage
 * replaced by a recording stand-in (the queue's own statements are covered by the database tests).
 */
class ReconcilerTest {

    static ReconcilerProperties properties(Duration initial, Duration max, Integer maxAttempts) {
        return new ReconcilerProperties(null, null, null, null, initial, max, maxAttempts, null, null, null);
    }

    static Reconciler reconciler(ReconcilerProperties properties) {
        return new Reconciler(null, null, properties, List.of(), new SimpleMeterRegistry());
    }

    static Stream<Arguments> backoffTable() {
        Duration s1 = Duration.ofSeconds(1);
        Duration m5 = Duration.ofMinutes(5);
        return Stream.of(
                Arguments.of(s1, m5, Integer.MIN_VALUE + 1, s1),
                Arguments.of(s1, m5, -1, s1),
                Arguments.of(s1, m5, 0, s1),
                Arguments.of(s1, m5, 1, s1),
                Arguments.of(s1, m5, 2, Duration.ofSeconds(2)),
                Arguments.of(s1, m5, 3, Duration.ofSeconds(4)),
                Arguments.of(s1, m5, 4, Duration.ofSeconds(8)),
                Arguments.of(s1, m5, 9, Duration.ofSeconds(256)),
                Arguments.of(s1, m5, 10, m5),
                Arguments.of(s1, m5, 12, m5),
                Arguments.of(s1, m5, 21, m5),
                Arguments.of(s1, m5, 22, m5),
                Arguments.of(s1, m5, 63, m5),
                Arguments.of(s1, m5, 64, m5),
                Arguments.of(s1, m5, 65, m5),
                Arguments.of(s1, m5, 1_000_000, m5),
                Arguments.of(s1, m5, Integer.MAX_VALUE, m5),
                Arguments.of(Duration.ofMillis(250), Duration.ofSeconds(10), 1, Duration.ofMillis(250)),
                Arguments.of(Duration.ofMillis(250), Duration.ofSeconds(10), 3, Duration.ofSeconds(1)),
                Arguments.of(Duration.ofMillis(250), Duration.ofSeconds(10), 6, Duration.ofSeconds(8)),
                Arguments.of(Duration.ofMillis(250), Duration.ofSeconds(10), 7, Duration.ofSeconds(10)),
                // the first delay is capped too
                Arguments.of(Duration.ofMinutes(10), m5, 1, m5),
                // a large initial delay and many attempts do not wrap around
                Arguments.of(Duration.ofDays(365), Duration.ofDays(3650), Integer.MAX_VALUE, Duration.ofDays(3650)),
                Arguments.of(Duration.ofDays(365), Duration.ofDays(3650), 4, Duration.ofDays(2920)));
    }

    @ParameterizedTest(name = "initial {0}, max {1}, attempt {2} -> {3}")
    @MethodSource("backoffTable")
    void backoffDoublesFromTheInitialDelayUpToTheMaximum(Duration initial, Duration max, int attempts,
                                                         Duration expected) {
        assertThat(reconciler(properties(initial, max, null)).backoff(attempts)).isEqualTo(expected);
    }

    @Test
    void backoffNeverShrinksAndNeverGoesNegativeOrPastTheMaximum() {
        Reconciler reconciler = reconciler(properties(Duration.ofMillis(3), Duration.ofHours(1), null));
        Duration previous = Duration.ZERO;
        for (int attempts = 0; attempts < 200; attempts++) {
            Duration backoff = reconciler.backoff(attempts);
            assertThat(backoff).as("attempt %d", attempts)
                    .isGreaterThanOrEqualTo(previous)
                    .isGreaterThan(Duration.ZERO)
                    .isLessThanOrEqualTo(Duration.ofHours(1));
            previous = backoff;
        }
    }

    @Test
    void theDefaultsAreOneSecondToFiveMinutes() {
        Reconciler reconciler = reconciler(new ReconcilerProperties(null, null, null, null, null, null, null, null, null, null));
        assertThat(reconciler.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(reconciler.backoff(100)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void twoProvisionersOfOneKindAreRefused() {
        List<Provisioner> twice = List.of(new FakeProvisioner(WorkKind.PLACEMENT, id -> Outcome.done()),
                new FakeProvisioner(WorkKind.PLACEMENT, id -> Outcome.done()));
        assertThatThrownBy(() -> new Reconciler(null, null, properties(null, null, null), twice,
                new SimpleMeterRegistry())).isInstanceOf(IllegalStateException.class);
    }

    // ---- outcome handling, with a recording queue ----

    /** Records what the reconciler asks of the queue instead of writing it. */
    static final class RecordingQueue extends WorkQueue {
        final List<String> calls = new ArrayList<>();

        RecordingQueue() {
            super(null, null, null);
        }

        @Override
        public void complete(WorkItem item) {
            calls.add("complete " + item.resourceId());
        }

        @Override
        public void release(WorkItem item, Duration delay, String reason) {
            calls.add("release " + item.resourceId() + " after " + delay + ": " + reason);
        }

        @Override
        public void park(WorkItem item, String reason) {
            calls.add("park " + item.resourceId() + ": " + reason);
        }

        @Override
        public void settle(List<Settled> passes) {
            calls.add("settle " + passes.stream().map(p -> p.item().resourceId()
                    + (p.delay() == null ? " done" : " after " + p.delay() + ": " + p.reason())).toList());
        }
    }

    /** A provisioner that passes over several resources at once, and alone over those its shared pass leaves out. */
    static final class SharingProvisioner extends FakeProvisioner {
        final Function<List<String>, java.util.Map<String, Outcome>> shared;

        SharingProvisioner(Function<List<String>, java.util.Map<String, Outcome>> shared) {
            super(WorkKind.RESERVATION, id -> Outcome.done());
            this.shared = shared;
        }

        @Override
        public java.util.Map<String, Outcome> reconcileAll(List<String> resourceIds) {
            calls.add("reconcileAll " + resourceIds);
            return shared.apply(resourceIds);
        }

        @Override
        public void waitingAll(java.util.Map<String, String> reasons) {
            calls.add("waitingAll " + new java.util.TreeMap<>(reasons));
        }
    }

    static WorkItem item(String id) {
        return new WorkItem(WorkKind.RESERVATION, id, 1, 1, 10);
    }

    @Test
    void aSharedPassIsRecordedInOneSettlementAndWhatItLeftOutIsPassedOverAlone() {
        SharingProvisioner provisioner = new SharingProvisioner(ids -> java.util.Map.of(
                "a", Outcome.done(),
                "b", new Outcome.Yield(Duration.ofSeconds(2), "preparing units: 0/1 ready"),
                "d", new Outcome.Terminal("the platform could not prepare the reserved units")));

        reconcilerWith(provisioner).processAll(List.of(item("a"), item("b"), item("c"), item("d")));

        assertThat(provisioner.calls).containsExactly(
                "reconcileAll [a, b, c, d]",
                "reconcile c",
                "failed d: the platform could not prepare the reserved units",
                "waitingAll {b=preparing units: 0/1 ready}");
        assertThat(queue.calls).containsExactly(
                "complete c",
                "park d: the platform could not prepare the reserved units",
                "settle [a done, b after PT2S: preparing units: 0/1 ready]");
        assertThat(outcomes(WorkKind.RESERVATION, "done")).isEqualTo(2);
        assertThat(outcomes(WorkKind.RESERVATION, "yield")).isEqualTo(1);
        assertThat(outcomes(WorkKind.RESERVATION, "terminal")).isEqualTo(1);
        assertThat(meters.find("ringfence.reconciler.queue.wait").timer().count()).isEqualTo(4);
    }

    @Test
    void whenTheSharedPassFailsEachItemIsPassedOverAlone() {
        SharingProvisioner provisioner = new SharingProvisioner(ids -> {
            throw new IllegalStateException("the database went away mid-pass");
        });

        reconcilerWith(provisioner).processAll(List.of(item("a"), item("b")));

        assertThat(provisioner.calls).containsExactly("reconcileAll [a, b]", "reconcile a", "reconcile b");
        assertThat(queue.calls).containsExactly("complete a", "complete b");
    }

    @Test
    void aSingleItemAndAKindWithoutASharedPassArePassedOverAlone() {
        SharingProvisioner sharing = new SharingProvisioner(ids -> {
            throw new AssertionError("one item needs no shared pass");
        });
        FakeProvisioner placements = new FakeProvisioner(WorkKind.PLACEMENT, id -> Outcome.done());

        reconcilerWith(sharing, placements).processAll(List.of(item("a"), new WorkItem(WorkKind.PLACEMENT, "p1", 1, 1, 0),
                new WorkItem(WorkKind.PLACEMENT, "p2", 1, 1, 0)));

        assertThat(sharing.calls).containsExactly("reconcile a");
        assertThat(placements.calls).containsExactly("reconcile p1", "reconcile p2");
        assertThat(queue.calls).containsExactlyInAnyOrder("complete a", "complete p1", "complete p2");
    }

    static class FakeProvisioner implements Provisioner {
        final WorkKind kind;
        final Function<String, Outcome> pass;
        final List<String> calls = new ArrayList<>();

        FakeProvisioner(WorkKind kind, Function<String, Outcome> pass) {
            this.kind = kind;
            this.pass = pass;
        }

        @Override
        public WorkKind kind() {
            return kind;
        }

        @Override
        public Outcome reconcile(String resourceId) {
            calls.add("reconcile " + resourceId);
            return pass.apply(resourceId);
        }

        @Override
        public void failed(String resourceId, String reason) {
            calls.add("failed " + resourceId + ": " + reason);
        }

        @Override
        public void waiting(String resourceId, String reason) {
            calls.add("waiting " + resourceId + ": " + reason);
        }
    }

    final RecordingQueue queue = new RecordingQueue();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    Reconciler reconcilerWith(Provisioner... provisioners) {
        return new Reconciler(queue, null, properties(Duration.ofSeconds(1), Duration.ofMinutes(5), 3),
                List.of(provisioners), meters);
    }

    static WorkItem item(WorkKind kind, int attempts) {
        return new WorkItem(kind, "res-1", 7, attempts, 1500);
    }

    double outcomes(WorkKind kind, String outcome) {
        Counter counter = meters.find("ringfence.reconciler.outcomes").tag("kind", kind.value())
                .tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aConvergedPassCompletesTheItem() {
        FakeProvisioner provisioner = new FakeProvisioner(WorkKind.RESERVATION, id -> Outcome.done());

        reconcilerWith(provisioner).process(item(WorkKind.RESERVATION, 1));

        assertThat(provisioner.calls).containsExactly("reconcile res-1");
        assertThat(queue.calls).containsExactly("complete res-1");
        assertThat(outcomes(WorkKind.RESERVATION, "done")).isEqualTo(1);
        assertThat(meters.find("ringfence.reconciler.queue.wait").timer().count()).isEqualTo(1);
        assertThat(meters.find("ringfence.reconciler.queue.wait").timer().totalTime(java.util.concurrent.TimeUnit.MILLISECONDS))
                .isEqualTo(1500);
    }

    @Test
    void aYieldingPassReleasesTheItemForLaterAndSaysWhy() {
        FakeProvisioner provisioner = new FakeProvisioner(WorkKind.PLACEMENT,
                id -> new Outcome.Yield(Duration.ofSeconds(3), "waiting for servers to boot"));

        reconcilerWith(provisioner).process(item(WorkKind.PLACEMENT, 5));

        assertThat(provisioner.calls).containsExactly("reconcile res-1", "waiting res-1: waiting for servers to boot");
        assertThat(queue.calls).containsExactly("release res-1 after PT3S: waiting for servers to boot");
        assertThat(outcomes(WorkKind.PLACEMENT, "yield")).isEqualTo(1);
    }

    @Test
    void aTerminalPassFailsTheResourceAndParksTheItem() {
        FakeProvisioner provisioner = new FakeProvisioner(WorkKind.UNIT_RELEASE,
                id -> new Outcome.Terminal("the unit is gone"));

        reconcilerWith(provisioner).process(item(WorkKind.UNIT_RELEASE, 1));

        assertThat(provisioner.calls).containsExactly("reconcile res-1", "failed res-1: the unit is gone");
        assertThat(queue.calls).containsExactly("park res-1: the unit is gone");
        assertThat(outcomes(WorkKind.UNIT_RELEASE, "terminal")).isEqualTo(1);
    }

    static Stream<Arguments> failedPasses() {
        return Stream.of(
                // attempts, provisioner calls after the pass, queue call
                Arguments.of(1, "waiting res-1: waiting to retry after a platform error",
                        "release res-1 after PT1S: waiting to retry after a platform error"),
                Arguments.of(2, "waiting res-1: waiting to retry after a platform error",
                        "release res-1 after PT2S: waiting to retry after a platform error"),
                Arguments.of(3, "failed res-1: gave up after 3 attempts", "park res-1: gave up after 3 attempts"),
                Arguments.of(4, "failed res-1: gave up after 4 attempts", "park res-1: gave up after 4 attempts"));
    }

    @ParameterizedTest(name = "attempt {0}")
    @MethodSource("failedPasses")
    void aFailedPassRetriesWithBackoffUntilItGivesUp(int attempts, String provisionerCall, String queueCall) {
        FakeProvisioner provisioner = new FakeProvisioner(WorkKind.RESERVATION, id -> {
            throw new IllegalStateException("platform unavailable");
        });

        reconcilerWith(provisioner).process(item(WorkKind.RESERVATION, attempts));

        assertThat(provisioner.calls).containsExactly("reconcile res-1", provisionerCall);
        assertThat(queue.calls).containsExactly(queueCall);
        String outcome = queueCall.startsWith("park") ? "terminal" : "yield";
        assertThat(outcomes(WorkKind.RESERVATION, outcome)).isEqualTo(1);
    }

    @Test
    void anItemOfAKindWithoutProvisionerIsParked() {
        FakeProvisioner reservations = new FakeProvisioner(WorkKind.RESERVATION, id -> Outcome.done());

        reconcilerWith(reservations).process(item(WorkKind.PLACEMENT, 1));

        assertThat(reservations.calls).isEmpty();
        assertThat(queue.calls).containsExactly("park res-1: no provisioner for kind placement");
        assertThat(meters.find("ringfence.reconciler.outcomes").counters()).isEmpty();
    }

    @Test
    void eachItemGoesToTheProvisionerOfItsKind() {
        FakeProvisioner reservations = new FakeProvisioner(WorkKind.RESERVATION, id -> Outcome.done());
        FakeProvisioner placements = new FakeProvisioner(WorkKind.PLACEMENT,
                id -> new Outcome.Yield(Duration.ofMillis(100), "later"));
        Reconciler reconciler = reconcilerWith(reservations, placements);

        reconciler.process(new WorkItem(WorkKind.PLACEMENT, "p-1", 1, 1, 0));
        reconciler.process(new WorkItem(WorkKind.RESERVATION, "r-1", 1, 1, 0));
        reconciler.process(new WorkItem(WorkKind.PLACEMENT, "p-2", 1, 1, 0));

        assertThat(reservations.calls).containsExactly("reconcile r-1");
        assertThat(placements.calls).containsExactly("reconcile p-1", "waiting p-1: later", "reconcile p-2",
                "waiting p-2: later");
        assertThat(queue.calls).containsExactly("release p-1 after PT0.1S: later", "complete r-1",
                "release p-2 after PT0.1S: later");
        assertThat(outcomes(WorkKind.PLACEMENT, "yield")).isEqualTo(2);
        assertThat(outcomes(WorkKind.RESERVATION, "done")).isEqualTo(1);
    }
}
