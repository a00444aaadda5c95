package io.ringfence.provider;

import io.ringfence.storage.StorageProperties;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The default provider: behaves like a bare-metal platform that takes a while for each operation, without
 * any hardware. Like a real platform it lives outside the service: which reservation holds which unit is a
 * journal file (under a file lock), so a restarted service finds the platform as it left it and several
 * replicas share one platform. Faults are injected through the operator API. Real drivers implement
 * {@link BareMetalProvider} and replace this bean.
 */
@Component
public class SimulatedBareMetalProvider implements BareMetalProvider {

    private final SimulatedProviderProperties properties;
    private final Path journal;
    private final Map<String, String> unitOwners = new HashMap<>();
    private final Map<String, Integer> preparations = new HashMap<>();
    private long journalOffset;
    private final Map<String, String> failedHosts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failingPrepares = new ConcurrentHashMap<>();

    public SimulatedBareMetalProvider(SimulatedProviderProperties properties, StorageProperties storage) {
        this.properties = properties;
        Path dir = properties.stateDir() != null ? properties.stateDir()
                : storage.dataDir().resolve("simulated-platform");
        this.journal = dir.resolve("units.journal");
    }

    @Override
    public void prepareUnit(UnitRef unit, String reservationId) {
        pause(properties.prepareUnit());
        AtomicInteger failures = failingPrepares.get(unit.domainId());
        if (failures != null && failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new ProviderException("simulated fault: preparing unit " + unit.domainId() + " failed", true);
        }
        underJournalLock(channel -> {
            String owner = unitOwners.get(unit.domainId());
            if (reservationId.equals(owner)) {
                return; // already prepared for this reservation: a repeat after a crash
            }
            if (owner != null) {
                throw new ProviderException("unit " + unit.domainId() + " is still held by reservation " + owner, false);
            }
            append(channel, "prepare " + unit.domainId() + " " + reservationId);
        });
    }

    @Override
    public void releaseUnit(UnitRef unit, String reservationId) {
        pause(properties.releaseUnit());
        underJournalLock(channel -> {
            if (reservationId.equals(unitOwners.get(unit.domainId()))) {
                append(channel, "release " + unit.domainId() + " " + reservationId);
            }
        });
    }

    @Override
    public Map<String, String> failedHosts() {
        return Map.copyOf(failedHosts);
    }

    /** Fault injection: the host fails (or recovers, with {@code reason == null}). */
    public void setHostFailed(String infrastructureRef, String reason) {
        if (reason == null) {
            failedHosts.remove(infrastructureRef);
        } else {
            failedHosts.put(infrastructureRef, reason);
        }
    }

    /** Fault injection: the next {@code times} preparations of the unit fail. */
    public void failPrepares(String domainId, int times) {
        failingPrepares.put(domainId, new AtomicInteger(times));
    }

    /** Which reservation holds each unit at the platform. */
    public synchronized Map<String, String> unitOwners() {
        underJournalLock(channel -> { });
        return Map.copyOf(unitOwners);
    }

    private interface JournalAction {
        void run(FileChannel channel) throws IOException;
    }

    private synchronized void underJournalLock(JournalAction action) {
        try {
            Files.createDirectories(journal.getParent());
            try (FileChannel channel = FileChannel.open(journal, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
                catchUp(channel);
                action.run(channel);
            }
        } catch (IOException e) {
            throw new ProviderException("simulated platform journal unavailable: " + e.getMessage(), true);
        }
    }

    /** Applies what other processes (or an earlier run) wrote since this one last looked. */
    private void catchUp(FileChannel channel) throws IOException {
        long size = channel.size();
        if (size <= journalOffset) {
            return;
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) (size - journalOffset));
        channel.read(buffer, journalOffset);
        String text = new String(buffer.array(), StandardCharsets.UTF_8);
        int lastNewline = text.lastIndexOf('\n');
        if (lastNewline < 0) {
            return; // a torn line from a crash mid-write; it will be completed or ignored
        }
        for (String line : text.substring(0, lastNewline).split("\n")) {
            apply(line);
        }
        journalOffset += text.substring(0, lastNewline + 1).getBytes(StandardCharsets.UTF_8).length;
    }

    private void apply(String line) {
        String[] parts = line.split(" ");
        if (parts.length < 3) {
            return;
        }
        if (parts[0].equals("prepare")) {
            unitOwners.put(parts[1], parts[2]);
            preparations.merge(parts[1] + " " + parts[2], 1, Integer::sum);
        } else if (parts[0].equals("release") && parts[2].equals(unitOwners.get(parts[1]))) {
            unitOwners.remove(parts[1]);
        }
    }

    private void append(FileChannel channel, String entry) throws IOException {
        byte[] bytes = (entry + " " + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8);
        channel.write(ByteBuffer.wrap(bytes), channel.size());
        channel.force(false);
        catchUp(channel);
    }

    private static void pause(Duration duration) {
        if (duration.isZero() || duration.isNegative()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException("interrupted while waiting for the simulated platform", true);
        }
    }
}
