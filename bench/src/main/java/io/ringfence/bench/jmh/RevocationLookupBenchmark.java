package io.ringfence.bench.jmh;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
 * What the revocation check adds to every bearer-token check: the service's {@code TokenRevocations} keeps the
 * unexpired revoked token IDs ({@code jti}, UUIDs) in a concurrent hash set and looks the token's ID up there, so
 * this measures that lookup with as many revocations as a busy day leaves (tokens live 15 minutes, so the set
 * holds the last quarter hour's revocations). The service module is not on the load tool's class path; the set
 * is the same JDK structure.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RevocationLookupBenchmark {

    @Param({"100", "10000"})
    public int revoked;

    private final Set<String> set = ConcurrentHashMap.newKeySet();
    private String present;
    private String absent;

    @Setup
    public void setUp() {
        for (int i = 0; i < revoked; i++) {
            set.add(UUID.nameUUIDFromBytes(("jti-" + i).getBytes()).toString());
        }
        present = UUID.nameUUIDFromBytes(("jti-" + (revoked / 2)).getBytes()).toString();
        // a token's ID arrives as a fresh string from the decoded JWT: its hash code is computed on each check
        absent = UUID.randomUUID().toString();
    }

    @Benchmark
    public boolean lookUpAValidToken() {
        return set.contains(new String(absent.toCharArray()));
    }

    @Benchmark
    public boolean lookUpARevokedToken() {
        return set.contains(new String(present.toCharArray()));
    }
}
