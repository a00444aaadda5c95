package io.ringfence.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Only a process proven to be this data directory's postmaster is ever signalled. Real processes stand in for
 * PostgreSQL here (a shell that calls itself {@code postgres}), since what is checked is the process table.
 */
class OrphanedPostmasterTest {

    @TempDir
    Path dataDirectory;

    @Test
    void aProcessThatIsNotThisDirectorysPostmasterIsLeftAlone() throws Exception {
        Process stranger = new ProcessBuilder("sleep", "30").start();
        Process otherDirectory = postgresLookAlike(dataDirectory.resolveSibling("another-data-directory"));
        try {
            for (Process process : new Process[] {stranger, otherDirectory}) {
                Files.writeString(dataDirectory.resolve("postmaster.pid"), process.pid() + "\n" + dataDirectory + "\n");
                assertThat(OrphanedPostmaster.isPostmasterOf(process.pid(), dataDirectory)).isFalse();
                OrphanedPostmaster.stopIfRunning(dataDirectory, Duration.ofSeconds(2));
                assertThat(process.isAlive()).as("pid %d was signalled", process.pid()).isTrue();
            }
        } finally {
            stranger.destroyForcibly();
            otherDirectory.destroyForcibly();
        }
    }

    @Test
    void thisDirectorysPostmasterIsStopped() throws Exception {
        Process postmaster = postgresLookAlike(dataDirectory);
        try {
            Files.writeString(dataDirectory.resolve("postmaster.pid"), postmaster.pid() + "\n" + dataDirectory + "\n");
            assertThat(OrphanedPostmaster.isPostmasterOf(postmaster.pid(), dataDirectory)).isTrue();
            OrphanedPostmaster.stopIfRunning(dataDirectory, Duration.ofSeconds(5));
            assertThat(postmaster.waitFor(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            postmaster.destroyForcibly();
        }
    }

    @Test
    void aPidWhoseCommandLineCannotBeReadProvesNothing() {
        assertThat(OrphanedPostmaster.isPostmasterOf(Long.MAX_VALUE, dataDirectory)).isFalse();
    }

    /** A process whose command line reads {@code postgres ... -D <directory>}, as a postmaster's does. */
    private static Process postgresLookAlike(Path directory) throws Exception {
        Process process = new ProcessBuilder("bash", "-c",
                "exec -a postgres bash -c 'sleep 30; true' postgres -D \"$0\"", directory.toString()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline && !Files.readString(Path.of("/proc", Long.toString(process.pid()),
                "cmdline")).startsWith("postgres")) {
            Thread.sleep(20);
        }
        return process;
    }
}
