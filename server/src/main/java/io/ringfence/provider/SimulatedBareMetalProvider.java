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
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The default provider: behaves like a bare-metal platform on which every operation takes a while, without any
 * hardware. It models time rather than sleeping: an operation completes once its configured latency has passed
 * since it started, so any number run at once. Like a real platform it lives outside the service: every call
 * is a line in a journal file (under a file lock), so a restarted service finds the platform as it left it and
 * several replicas share one platform.
 *
 * <p>The journal tells work started ({@code start}) apart from a start of work already running or done
 * ({@code repeat}), so tests can count the work each key caused and would see it done twice. Lines read
 * {@code <start|repeat> <kind> <target> <owner> <generation> <ok|fail|refuse> [arguments] <time>}: {@code fail}
 * is an injected, retryable failure and {@code refuse} a permanent one, both decided when the work starts.
 * Faults are injected through the operator API. Real drivers implement {@link BareMetalProvider} and replace
 * this bean.
 */
@Component(InstrumentedBareMetalProvider.PLATFORM)
public class SimulatedBareMetalProvider implements BareMetalProvider {

    /** The journal's file name under the state directory. */
    public static final String JOURNAL = "platform.journal";

    private final SimulatedProviderProperties properties;
    private final Path journal;
    private long journalOffset;
    private final Map<OperationKey, Attempt> attempts = new HashMap<>();
    /** Per unit, its preparations and releases that succeed, in journal order. */
    private final Map<String, List<Attempt>> unitHistory = new HashMap<>();
    private final Map<String, SimulatedServer> servers = new HashMap<>();
    private final Map<String, Network> networks = new ConcurrentHashMap<>();
    private final Map<String, String> failedHosts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failingPrepares = new ConcurrentHashMap<>();

    public SimulatedBareMetalProvider(SimulatedProviderProperties properties, StorageProperties storage) {
        this.properties = properties;
        Path dir = properties.stateDir() != null ? properties.stateDir()
                : storage.dataDir().resolve("simulated-platform");
        this.journal = dir.resolve(JOURNAL);
    }

    @Override
    public void start(PlatformOperation operation) {
        startAll(List.of(operation));
    }

    /** Journals every start in one write and one flush to disk, as a platform taking a batch in one request would. */
    @Override
    public void startAll(List<PlatformOperation> operations) {
        underJournalLock(channel -> {
            Instant now = Instant.now();
            List<String> entries = new ArrayList<>();
            // what this batch started, should it name a piece of work twice: the second is a repeat of the first
            Map<OperationKey, String> startedHere = new HashMap<>();
            for (PlatformOperation operation : operations) {
                OperationKey key = operation.key();
                Attempt latest = attempts.get(key);
                String arguments = String.join(" ", arguments(operation));
                if (startedHere.containsKey(key)) {
                    entries.add("repeat " + key + " " + startedHere.get(key) + " " + arguments);
                } else if (latest != null && latest.state(now, properties).phase() != OperationState.Phase.FAILED) {
                    entries.add("repeat " + key + " " + latest.outcome + " " + String.join(" ", latest.arguments));
                } else {
                    String outcome = outcome(operation, now);
                    startedHere.put(key, outcome);
                    entries.add("start " + key + " " + outcome + " " + arguments);
                }
            }
            append(channel, entries);
        });
    }

    @Override
    public Map<OperationKey, OperationState> states(Collection<OperationKey> keys) {
        Map<OperationKey, OperationState> states = new LinkedHashMap<>();
        underJournalLock(channel -> {
            Instant now = Instant.now();
            for (OperationKey key : keys) {
                Attempt attempt = attempts.get(key);
                states.put(key, attempt == null ? OperationState.NOT_STARTED : attempt.state(now, properties));
            }
        });
        return states;
    }

    @Override
    public int maxInFlight(String regionId) {
        return properties.maxInFlight(regionId);
    }

    @Override
    public Map<String, String> failedHosts() {
        return Map.copyOf(failedHosts);
    }

    /** The networks this simulated platform offers (from the fleet manifest). */
    public void defineNetworks(Collection<Network> defined) {
        defined.forEach(n -> networks.put(n.regionId() + "/" + n.id(), n));
    }

    @Override
    public Optional<Network> network(String regionId, String networkId) {
        return Optional.ofNullable(networks.get(regionId + "/" + networkId));
    }

    @Override
    public Optional<ServerState> server(String serverId) {
        SimulatedServer[] found = new SimulatedServer[1];
        underJournalLock(channel -> found[0] = servers.get(serverId));
        if (found[0] == null) {
            return Optional.empty();
        }
        return found[0].state(Instant.now(), properties, failedHosts.containsKey(found[0].host()));
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

    /** Which reservation holds each unit at the platform right now. */
    public Map<String, String> unitOwners() {
        Map<String, String> owners = new HashMap<>();
        underJournalLock(channel -> {
            Instant now = Instant.now();
            for (String unit : unitHistory.keySet()) {
                String owner = ownerAt(unit, now);
                if (owner != null) {
                    owners.put(unit, owner);
                }
            }
        });
        return owners;
    }

    /** Decided when work starts, so that every replica reading the journal agrees on how it ends. */
    private String outcome(PlatformOperation operation, Instant now) {
        if (operation instanceof PlatformOperation.PrepareUnit prepare) {
            AtomicInteger failures = failingPrepares.get(prepare.domainId());
            if (failures != null && failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return "fail";
            }
            String owner = ownerAt(prepare.domainId(), now);
            return owner == null || owner.equals(prepare.reservationId()) ? "ok" : "refuse";
        }
        if (operation instanceof PlatformOperation.PowerServer || operation instanceof PlatformOperation.ReimageServer) {
            return servers.containsKey(operation.key().target()) ? "ok" : "refuse";
        }
        return "ok";
    }

    private static List<String> arguments(PlatformOperation operation) {
        if (operation instanceof PlatformOperation.CreateServer create) {
            return List.of(create.request().infrastructureRef(), create.request().imageId(),
                    Boolean.toString(create.request().publicIp()));
        }
        if (operation instanceof PlatformOperation.PowerServer power) {
            return List.of(power.operation().name());
        }
        if (operation instanceof PlatformOperation.ReimageServer reimage) {
            return List.of(reimage.imageId());
        }
        return List.of();
    }

    /** The reservation holding {@code unit} at {@code now}: the owner of the last finished preparation, unless
     *  that owner's release has finished since. */
    private String ownerAt(String unit, Instant now) {
        String owner = null;
        List<Attempt> history = new ArrayList<>(unitHistory.getOrDefault(unit, List.of()));
        history.sort(Comparator.comparing(a -> a.completion(properties)));
        for (Attempt attempt : history) {
            Instant done = attempt.completion(properties);
            if (done.isAfter(now)) {
                continue;
            }
            if (attempt.key.kind() == OperationKind.PREPARE_UNIT) {
                owner = attempt.key.owner();
            } else if (attempt.key.owner().equals(owner)) {
                owner = null;
            }
        }
        return owner;
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
        String[] parts = line.trim().split(" +");
        if (parts.length < 7 || !parts[0].equals("start")) {
            return; // repeats change nothing
        }
        OperationKey key = new OperationKey(OperationKind.fromValue(parts[1]), parts[2], parts[3],
                Long.parseLong(parts[4]));
        Instant at = Instant.parse(parts[parts.length - 1]);
        List<String> arguments = new ArrayList<>(List.of(parts).subList(6, parts.length - 1));
        Attempt attempt = new Attempt(key, at, parts[5], arguments);
        attempts.put(key, attempt);
        if (!attempt.outcome.equals("ok")) {
            return;
        }
        switch (key.kind()) {
            case PREPARE_UNIT, RELEASE_UNIT -> unitHistory.computeIfAbsent(key.target(), k -> new ArrayList<>())
                    .add(attempt);
            case CREATE_SERVER -> servers.putIfAbsent(key.target(), new SimulatedServer(key.target(), arguments.get(0),
                    arguments.get(1), Boolean.parseBoolean(arguments.get(2)), "create", at, null));
            case POWER_SERVER -> servers.computeIfPresent(key.target(), (k, v) -> v.after(arguments.get(0), v.image(), at));
            case REIMAGE_SERVER -> servers.computeIfPresent(key.target(), (k, v) -> v.after("REIMAGE", arguments.get(0), at));
            case DELETE_SERVER -> servers.computeIfPresent(key.target(), (k, v) -> v.deleted(at));
        }
    }

    private void append(FileChannel channel, List<String> entries) throws IOException {
        if (entries.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        String at = Instant.now().toString();
        for (String entry : entries) {
            lines.append(entry.trim().replaceAll(" +", " ")).append(' ').append(at).append('\n');
        }
        channel.write(ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8)), channel.size());
        channel.force(false);
        catchUp(channel);
    }

    /** One start of a piece of work: when, and how it was decided it would end. */
    private record Attempt(OperationKey key, Instant startedAt, String outcome, List<String> arguments) {

        Instant completion(SimulatedProviderProperties delays) {
            return startedAt.plus(delays.latency(key.kind()));
        }

        OperationState state(Instant now, SimulatedProviderProperties delays) {
            Instant done = completion(delays);
            if (now.isBefore(done)) {
                return OperationState.running(done);
            }
            return switch (outcome) {
                case "ok" -> OperationState.SUCCEEDED;
                case "fail" -> OperationState.failed("simulated fault: " + key + " failed", true);
                default -> OperationState.failed("the platform refused " + key, false);
            };
        }
    }

    /**
     * A server's last operation and when it happened; its state at any moment follows from the delays, so
     * nothing has to tick in the background and a replayed journal gives the same answers.
     */
    private record SimulatedServer(String id, String host, String image, boolean publicIp, String lastOperation,
                                   Instant since, Instant deletedAt) {

        SimulatedServer after(String operation, String newImage, Instant at) {
            return new SimulatedServer(id, host, newImage, publicIp, operation, at, deletedAt);
        }

        SimulatedServer deleted(Instant at) {
            return new SimulatedServer(id, host, image, publicIp, lastOperation, since, at);
        }

        Optional<ServerState> state(Instant now, SimulatedProviderProperties delays, boolean hostFailed) {
            Duration elapsed = Duration.between(since, now);
            PowerState power;
            if (deletedAt != null) {
                if (!now.isBefore(deletedAt.plus(delays.latency(OperationKind.DELETE_SERVER)))) {
                    return Optional.empty();
                }
                power = PowerState.STOPPING;
            } else if (hostFailed) {
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
            return Optional.of(new ServerState(power, image, privateIp, publicAddress, mac));
        }
    }
}
