package io.ringfence.bench.jmh;

import io.ringfence.capacity.TopologyHash;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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

/** The topology hash of a reservation of 1, 8 or 64 GB300 NVL72 domains (18 hosts each, UUID IDs). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TopologyHashBenchmark {

    @Param({"1", "8", "64"})
    public int units;

    private String podId;
    private Map<String, List<String>> hostsByDomain;

    @Setup
    public void setUp() {
        podId = UUID.nameUUIDFromBytes("pod".getBytes()).toString();
        hostsByDomain = new LinkedHashMap<>();
        for (int d = 0; d < units; d++) {
            List<String> hosts = new ArrayList<>();
            for (int h = 0; h < 18; h++) {
                hosts.add(UUID.nameUUIDFromBytes(("host-" + d + "-" + h).getBytes()).toString());
            }
            hostsByDomain.put(UUID.nameUUIDFromBytes(("domain-" + d).getBytes()).toString(), hosts);
        }
    }

    @Benchmark
    public String hash() {
        return TopologyHash.of(podId, hostsByDomain);
    }
}
