package io.ringfence.provider;

import io.ringfence.storage.StorageProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The default provider: behaves like a bare-metal platform that takes a while for each operation, without
 * any hardware. Like a real platform it outlives the service: which reservation holds which unit is kept in a
 * journal in {@code <data dir>/simulated-platform}, so a restarted service finds the platform as it left it.
 * Faults are injected through the operator API. Real drivers implement {@link BareMetalProvider} and replace
 * this bean.
 */
@Component
public class SimulatedBareMetalProvider implements BareMetalProvider {

    private final SimulatedProviderProperties properties;
    private final Path journal;
    private final Map<String, String> unitOwners = new ConcurrentHashMap<>();
    private final Map<String, Integer> preparations = new ConcurrentHashMap<>();
    private final Map<String, String> failedHosts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failingPrepares = new ConcurrentHashMap<>();

    public SimulatedBareMetalProvider(SimulatedProviderProperties properties, StorageProperties storage) {
        this.properties = properties;
        this.journal = storage.dataDir().resolve("simulated-platform").resolve("units.journal");
        replay();
    }

    @Override
    public void prepareUnit(UnitRef unit, String reservationId) {
        pause(properties.prepareUnit());
        AtomicInteger failures = failingPrepares.get(unit.domainId());
        if (failures != null && failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new ProviderException("simulated fault: preparing unit " + unit.domainId() + " failed", true);
        }
        synchronized (this) {
            String owner = unitOwners.get(unit.domainId());
            if (reservationId.equals(owner)) {
                return; // already prepared for this reservation: a repeat after a crash
            }
            if (owner != null) {
                throw new ProviderException("unit " + unit.domainId() + " is still held by reservation " + owner, false);
            }
            append("prepare " + unit.domainId() + " " + reservationId);
            unitOwners.put(unit.domainId(), reservationId);
            preparations.merge(unit.domainId() + " " + reservationId, 1, Integer::sum);
        }
    }

    @Override
    public void releaseUnit(UnitRef unit, String reservationId) {
        pause(properties.releaseUnit());
        synchronized (this) {
            if (reservationId.equals(unitOwners.get(unit.domainId()))) {
                append("release " + unit.domainId() + " " + reservationId);
                unitOwners.remove(unit.domainId());
            }
        }
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
    public Map<String, String> unitOwners() {
        return Map.copyOf(unitOwners);
    }

    /** How often each unit was actually prepared for each reservation ({@code "<unit> <reservation>"}). */
    public Map<String, Integer> preparations() {
        return Map.copyOf(preparations);
    }

    private void replay() {
        if (!Files.exists(journal)) {
            return;
        }
        try {
            List<String> lines = Files.readAllLines(journal, StandardCharsets.UTF_8);
            Map<String, String> owners = new HashMap<>();
            for (String line : lines) {
                String[] parts = line.split(" ");
                if (parts.length < 3) {
                    continue; // a torn last line from a crash
                }
                if (parts[0].equals("prepare")) {
                    owners.put(parts[1], parts[2]);
                    preparations.merge(parts[1] + " " + parts[2], 1, Integer::sum);
                } else if (parts[0].equals("release") && parts[2].equals(owners.get(parts[1]))) {
                    owners.remove(parts[1]);
                }
            }
            unitOwners.putAll(owners);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the simulated platform's journal " + journal, e);
        }
    }

    private void append(String entry) {
        try {
            Files.createDirectories(journal.getParent());
            Files.writeString(journal, entry + " " + Instant.now() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new ProviderException("simulated platform journal not writable: " + e.getMessage(), true);
        }
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
