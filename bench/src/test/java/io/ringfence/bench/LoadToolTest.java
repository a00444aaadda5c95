package io.ringfence.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short run of the load tool against the packaged service (../server/target/ringfence.jar, built before this
 * module): small fleet, 2 clients, a few seconds per phase. Checks that the invariants hold and that the report
 * covers every operation; never asserts on times.
 *
 * <p>A service process of its own: starting the service from the jar with the benchmark fleet is part of what the
 * load tool does, and so part of what this tests.
 */
class LoadToolTest {

    private static final Path JAR = Path.of("../server/target/ringfence.jar");

    @Test
    void shortRunKeepsEveryInvariantAndReportsEveryOperation(@TempDir Path dir) throws Exception {
        assertThat(Files.isRegularFile(JAR))
                .as("the service jar %s must exist: build it first ('./mvnw -q -DskipTests package' at the repository "
                        + "root, or the reactor builds server before bench)", JAR.toAbsolutePath())
                .isTrue();
        Options options = Options.parse(new String[] {"3", "2", "--warmup", "2", "--jit-settle", "1", "--fleet", "4x8x16x1",
                "--list-size", "30", "--list-warmup", "1", "--open-rate", "10/40", "--open-lead-in", "1",
                "--no-defaults-probe", "--converge-timeout", "120", "--open-timeline", dir.resolve("open.tsv").toString(),
                "--jar", JAR.toString()});
        options.listRepeats = 3;
        options.progressSeconds = 1;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

        BenchRun.Result result = new BenchRun(options, new Tee(out, System.out)).run();

        String report = buffer.toString(StandardCharsets.UTF_8);
        assertThat(result.broken).as("broken invariants").isEmpty();
        assertThat(result.passed).hasSizeGreaterThanOrEqualTo(4);
        assertThat(result.createOnly.ok("create")).isPositive();
        for (String op : Workloads.OPS) {
            assertThat(result.mixed.ok(op)).as("successful %s calls in the mixed phase", op).isPositive();
            assertThat(report).containsPattern("(?m)^  " + op + " +\\d+");
        }
        assertThat(report).contains("database baseline", "create-only phase", "mixed phase", "list phase",
                "invariants:", "all invariants hold");
        assertThat(result.open.ok("create")).as("open-loop creates").isPositive();
        assertThat(result.open.ok("get")).as("open-loop gets").isPositive();
        assertThat(report).contains("open-loop phase", "open-loop lead-in", "clean-up before the mixed phase");
        assertThat(report.strip()).containsPattern("(?m)^create p99 ms at 10/s: [0-9.]+\n"
                + "get p99 ms at 40/s: [0-9.]+\n"
                + "list of 30 p50 ms: [0-9.]+\n"
                + "ratio create/database: [0-9.]+$");
        assertThat(result.ratio).isPositive();
        // the timeline holds every measured open-loop request, the lead-in's before them (scheduled before 0)
        List<String> timeline = Files.readAllLines(dir.resolve("open.tsv"));
        assertThat(timeline.get(0)).isEqualTo("stream\tscheduled_ms\tanswered_ms\tlatency_ms");
        long measured = timeline.stream().skip(1).map(line -> line.split("\t"))
                .filter(f -> Double.parseDouble(f[1]) >= 0)
                .peek(f -> assertThat(Double.parseDouble(f[3])).isPositive()
                        .isCloseTo(Double.parseDouble(f[2]) - Double.parseDouble(f[1]), within(0.01)))
                .count();
        assertThat(measured).isEqualTo(result.open.ok("create") + result.open.errors("create")
                + result.open.ok("get") + result.open.errors("get"));
        // the warm-up reads the CPU of the service's JIT compilers, and so does every phase's report
        assertThat(report).containsPattern("warm-up: the service's JIT (settled|did not settle)")
                .containsPattern("(?m)^  the service's JIT compilers used [0-9.]+% of a core during the phase");
    }

    /** Prints to the captured report and to the console. */
    private static final class Tee extends PrintStream {
        private final PrintStream second;

        Tee(PrintStream first, PrintStream second) {
            super(first, true, StandardCharsets.UTF_8);
            this.second = second;
        }

        @Override
        public void write(byte[] buf, int off, int len) {
            super.write(buf, off, len);
            second.write(buf, off, len);
        }

        @Override
        public void write(int b) {
            super.write(b);
            second.write(b);
        }
    }
}
