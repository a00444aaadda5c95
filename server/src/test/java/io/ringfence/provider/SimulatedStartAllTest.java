package io.ringfence.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.storage.StorageProperties;
import io.ringfence.testkit.PlatformJournal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulated platform taking a batch of starts in one journal write: each piece of work starts once, a piece
 * named twice in one batch or started before is a repeat, and a second provider over the same journal (another
 * replica, or the service after a restart) sees all of it.
 */
class SimulatedStartAllTest {

    @TempDir
    Path dir;

    SimulatedBareMetalProvider provider() {
        return new SimulatedBareMetalProvider(new SimulatedProviderProperties(Duration.ZERO, Duration.ZERO, null, null,
                null, null, dir), new StorageProperties(dir, false));
    }

    @Test
    void aBatchStartsEachPieceOfWorkOnceAndRepeatsTheRest() throws Exception {
        SimulatedBareMetalProvider platform = provider();
        PlatformOperation a = new PlatformOperation.PrepareUnit("domain-a", List.of("host-a"), "owner-1");
        PlatformOperation b = new PlatformOperation.PrepareUnit("domain-b", List.of("host-b"), "owner-1");
        platform.start(a);

        platform.startAll(List.of(a, b, b));

        List<PlatformJournal.Entry> entries = PlatformJournal.read(dir).entries();
        assertThat(entries.stream().map(e -> (e.start() ? "start " : "repeat ") + e.target()).toList())
                .containsExactly("start domain-a", "repeat domain-a", "start domain-b", "repeat domain-b");
        Map<OperationKey, OperationState> seen = provider().states(List.of(a.key(), b.key()));
        assertThat(seen.values()).extracting(OperationState::phase)
                .containsOnly(OperationState.Phase.SUCCEEDED);
        assertThat(Files.readAllLines(dir.resolve(SimulatedBareMetalProvider.JOURNAL))).hasSize(4);
    }
}
