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
import java.util.Optional;
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
@Component(InstrumentedBareMetalProvider.PLATFORM)
public class SimulatedBareMetalProvider implements BareMetalProvider {

    private final SimulatedProviderProperties properties;
    private final Path journal;
    private final Map<String, String> unitOwners = new HashMap<>();
    private final Map<String, Integer> preparations = new HashMap<>();
    private long journalOffset;
    private final Map<String, SimulatedServer> servers = new HashMap<>();
    private final Map<String, Network> networks = new ConcurrentHashMap<>();
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

    /** The networks this simulated platform offers (from the fleet manifest). */
    public void defineNetworks(java.util.Collection<Network> defined) {
        defined.forEach(n -> networks.put(n.regionId() + "/" + n.id(), n));
    }

    @Override
    public Optional<Network> network(String regionId, String networkId) {
        return Optional.ofNullable(networks.get(regionId + "/" + networkId));
    }

    @Override
    public void createServer(ServerRequest request) {
        underJournalLock(channel -> {
            if (!servers.containsKey(request.serverId())) {
                append(channel, "server-create " + request.serverId() + " " + request.infrastructureRef() + " "
                        + request.imageId() + " " + request.publicIp());
            }
        });
    }

    @Override
    public Optional<ServerState> server(String serverId) {
        SimulatedServer[] found = new SimulatedServer[1];
        underJournalLock(channel -> found[0] = servers.get(serverId));
        if (found[0] == null) {
            return Optional.empty();
        }
        return Optional.of(found[0].state(Instant.now(), properties, failedHosts.containsKey(found[0].host())));
    }

    @Override
    public void deleteServer(String serverId) {
        underJournalLock(channel -> {
            if (servers.containsKey(serverId)) {
                append(channel, "server-delete " + serverId);
            }
        });
    }

    @Override
    public void power(String serverId, PowerOperation operation) {
        underJournalLock(channel -> {
            if (!servers.containsKey(serverId)) {
                throw new ProviderException("server " + serverId + " does not exist", false);
            }
            append(channel, "server-power " + serverId + " " + operation.name());
        });
    }

    @Override
    public void reimage(String serverId, String imageId) {
        underJournalLock(channel -> {
            if (!servers.containsKey(serverId)) {
                throw new ProviderException("server " + serverId + " does not exist", false);
            }
            append(channel, "server-reimage " + serverId + " " + imageId);
        });
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
        Instant at = Instant.parse(parts[parts.length - 1]);
        switch (parts[0]) {
            case "server-create" -> servers.put(parts[1],
                    new SimulatedServer(parts[1], parts[2], parts[3], Boolean.parseBoolean(parts[4]), "create", at));
            case "server-delete" -> servers.remove(parts[1]);
            case "server-power" -> servers.computeIfPresent(parts[1], (k, v) -> v.after(parts[2], v.image(), at));
            case "server-reimage" -> servers.computeIfPresent(parts[1], (k, v) -> v.after("REIMAGE", parts[2], at));
            default -> {
                // unit lines below
            }
        }
        if (parts[0].startsWith("server-")) {
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

    /**
     * A server's last operation and when it happened; its state at any moment follows from the delays, so
     * nothing has to tick in the background and a replayed journal gives the same answers.
     */
    private record SimulatedServer(String id, String host, String image, boolean publicIp, String lastOperation,
                                   Instant since) {

        SimulatedServer after(String operation, String newImage, Instant at) {
            return new SimulatedServer(id, host, newImage, publicIp, operation, at);
        }

        ServerState state(Instant now, SimulatedProviderProperties delays, boolean hostFailed) {
            Duration elapsed = Duration.between(since, now);
            PowerState power;
            if (hostFailed) {
                power = PowerState.ERROR;
            } else {
                power = switch (lastOperation) {
                    case "create" -> elapsed.compareTo(delays.serverBoot()) >= 0 ? PowerState.RUNNING
                            : elapsed.compareTo(delays.serverBoot().dividedBy(3)) >= 0 ? PowerState.BUILDING
                            : PowerState.QUEUED;
                    case "REIMAGE" -> elapsed.compareTo(delays.serverBoot()) >= 0 ? PowerState.RUNNING
                            : PowerState.REBUILDING;
                    case "STOP" -> elapsed.compareTo(delays.powerOperation()) >= 0 ? PowerState.STOPPED
                            : PowerState.STOPPING;
                    default -> elapsed.compareTo(delays.powerOperation()) >= 0 ? PowerState.RUNNING
                            : PowerState.BUILDING;
                };
            }
            int hash = id.hashCode() & 0xffffff;
            String privateIp = "10." + ((hash >> 16) & 0xff) + "." + ((hash >> 8) & 0xff) + "." + Math.max(2, hash & 0xff);
            String publicAddress = publicIp ? "203.0.113." + Math.max(2, hash & 0xff) : null;
            String mac = String.format("fa:16:3e:%02x:%02x:%02x", (hash >> 16) & 0xff, (hash >> 8) & 0xff, hash & 0xff);
            return new ServerState(power, image, privateIp, publicAddress, mac);
        }
    }
}
