package io.ringfence.bench.jmh;

import io.ringfence.capacity.Allocation;
import io.ringfence.capacity.Allocator;
import io.ringfence.capacity.CapacitySnapshot;
import io.ringfence.capacity.FreeUnit;
import io.ringfence.capacity.FreeUnitIndex;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The allocator of one capacity pool with 1k, 10k and 100k NVLink domains in pods of 16, half of them free at
 * seeded random positions (a fragmented pool), asked for 4 units.
 * {@code decide}: the decision alone, on a prebuilt snapshot. {@code snapshotAndDecide}: building the snapshot from
 * the free units (as the service does per request from what it read) plus the decision. {@code indexDecide}: the
 * decision on a prebuilt {@link FreeUnitIndex} (what the service does when its cached index is current).
 * {@code indexCopyAndDecide}: the same after copying the index, the price of a copy per request.
 * {@code indexDecideAndTake}: the decision and taking the granted units out, then putting them back (so the state
 * stays the same across invocations), the work of a create plus its undo.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AllocatorBenchmark {

    @Param({"1000", "10000", "100000"})
    public int domains;

    @Param({"4"})
    public int count;

    private List<FreeUnit> freeUnits;
    private CapacitySnapshot snapshot;
    private FreeUnitIndex index;
    private Map<String, FreeUnit> byId;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        int domainsPerPod = 16;
        freeUnits = new ArrayList<>();
        for (int i = 0; i < domains; i++) {
            if (random.nextBoolean()) {
                int pod = i / domainsPerPod;
                freeUnits.add(new FreeUnit(String.format(Locale.ROOT, "domain-%06d", i),
                        String.format(Locale.ROOT, "pod-%05d", pod), i % domainsPerPod));
            }
        }
        java.util.Collections.shuffle(freeUnits, new java.util.Random(7)); // the database returns no order
        snapshot = CapacitySnapshot.of(freeUnits);
        index = FreeUnitIndex.of(freeUnits);
        byId = new HashMap<>();
        freeUnits.forEach(u -> byId.put(u.unitId(), u));
        if (!index.allocate(count).equals(decide())) {
            throw new IllegalStateException("the index decides differently from the allocator");
        }
    }

    @Benchmark
    public Allocation decide() {
        return Allocator.allocate(snapshot, count);
    }

    @Benchmark
    public Allocation snapshotAndDecide() {
        return Allocator.allocate(CapacitySnapshot.of(freeUnits), count);
    }

    @Benchmark
    public Allocation indexDecide() {
        return index.allocate(count);
    }

    @Benchmark
    public Allocation indexCopyAndDecide() {
        return index.copy().allocate(count);
    }

    @Benchmark
    public Allocation indexDecideAndTake() {
        Allocation allocation = index.allocate(count);
        if (allocation instanceof Allocation.Granted granted) {
            List<FreeUnit> taken = new ArrayList<>(granted.unitIds().size());
            for (String unitId : granted.unitIds()) {
                taken.add(byId.get(unitId));
            }
            index.remove(granted.unitIds());
            index.add(taken);
        }
        return allocation;
    }

    // PLACEMENT PLANNER: when the pack/spread placement planner (placements of hosts within a reservation) exists
    // in core, add its benchmark here (or as PlacementPlannerBenchmark beside this class): the plan
    // alone and the plan including building its input, at 1, 8 and 64 units of 18 hosts.
}
