package io.ringfence.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of the service's JIT compiler threads, from {@code /proc/<pid>/task/<tid>/stat} (Linux, a service this tool
 * started). On two cores the C2 compiler takes a large share of the machine for a minute or two after a start; a
 * phase measured while it compiles measures the JIT's warm-up as much as the service. The JVM's own
 * {@code jvm_compilation_time_ms_total} would not do: it adds up the wall time of each compilation, which on a loaded
 * machine is mostly time spent waiting for a core.
 */
final class ServiceJit {

    /** Clock ticks per second of {@code /proc}'s CPU times; 100 on Linux wherever this tool runs. */
    private static final double TICKS_PER_SECOND = 100;

    private final Path tasks;

    private ServiceJit(Path tasks) {
        this.tasks = tasks;
    }

    /** The JIT of the given process, or of none ({@code pid} below 0, e.g. a service given by {@code --url}). */
    static ServiceJit of(long pid) {
        return new ServiceJit(pid < 0 ? null : Path.of("/proc", Long.toString(pid), "task"));
    }

    /** Seconds of CPU the service's compiler threads have used so far, or -1 when they cannot be read. */
    double cpuSeconds() {
        if (tasks == null || !Files.isDirectory(tasks)) {
            return -1;
        }
        long ticks = 0;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path thread : threads) {
                try {
                    ticks += compilerTicks(Files.readString(thread.resolve("stat")));
                } catch (IOException e) {
                    // a thread that ended while the directory was read: it compiles no more
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return ticks / TICKS_PER_SECOND;
    }

    /** User and system ticks of one thread's {@code stat} line if the thread is a JIT compiler, else 0. */
    static long compilerTicks(String stat) {
        // the name is in parentheses and may hold spaces ("C2 CompilerThre"): fields are counted after its end
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        String name = stat.substring(open + 1, close);
        if (!name.startsWith("C1 Compiler") && !name.startsWith("C2 Compiler")) {
            return 0;
        }
        String[] fields = stat.substring(close + 2).trim().split(" +");
        // fields after the name start at "state" (field 3): utime is field 14, stime field 15
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
