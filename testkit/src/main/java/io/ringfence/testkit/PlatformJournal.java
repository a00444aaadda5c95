package io.ringfence.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated platform's journal, read as the platform's own record of every call: work started
 * ({@code start}) and starts of work already running or done ({@code repeat}). Tests count work started per key
 * with it, so a piece of work done twice fails them.
 */
public final class PlatformJournal {

    /** One line: {@code <start|repeat> <kind> <target> <owner> <generation> <outcome> [arguments] <time>}. */
    public record Entry(boolean start, String kind, String target, String owner, long generation, String outcome,
                        Instant at) {
        public String key() {
            return kind + " " + target + " " + owner + " " + generation;
        }
    }

    private final List<Entry> entries;

    private PlatformJournal(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** The journal in the simulated platform's state directory ({@code <data dir>/simulated-platform}). */
    public static PlatformJournal read(Path stateDir) {
        Path file = stateDir.resolve("platform.journal");
        List<Entry> entries = new ArrayList<>();
        try {
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file)) {
                    String[] parts = line.trim().split(" +");
                    if (parts.length < 7) {
                        continue; // a torn last line
                    }
                    entries.add(new Entry(parts[0].equals("start"), parts[1], parts[2], parts[3],
                            Long.parseLong(parts[4]), parts[5], Instant.parse(parts[parts.length - 1])));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new PlatformJournal(entries);
    }

    public List<Entry> entries() {
        return entries;
    }

    /** Work started, per key; a repeat start of running or finished work does not count. */
    public Map<String, Integer> startsPerKey(String kind) {
        Map<String, Integer> starts = new HashMap<>();
        entries.stream().filter(e -> e.start() && e.kind().equals(kind)).forEach(e -> starts.merge(e.key(), 1, Integer::sum));
        return starts;
    }

    /**
     * Which reservation holds each unit once all started work is done: the owner of the last successful
     * preparation, unless that owner released the unit after it.
     */
    public Map<String, String> unitOwners() {
        Map<String, String> owners = new HashMap<>();
        for (Entry e : entries) {
            if (!e.start() || !e.outcome().equals("ok")) {
                continue;
            }
            if (e.kind().equals("prepare-unit")) {
                owners.put(e.target(), e.owner());
            } else if (e.kind().equals("release-unit") && e.owner().equals(owners.get(e.target()))) {
                owners.remove(e.target());
            }
        }
        return owners;
    }

    /** The most started operations that {@code which} selects running at one instant, each for {@code latency}. */
    public int mostRunningAtOnce(java.util.function.Predicate<Entry> which, java.time.Duration latency) {
        List<Instant[]> intervals = entries.stream().filter(e -> e.start() && which.test(e))
                .map(e -> new Instant[] {e.at(), e.at().plus(latency)}).toList();
        int most = 0;
        for (Instant[] interval : intervals) {
            Instant at = interval[0];
            int running = (int) intervals.stream().filter(i -> !i[0].isAfter(at) && i[1].isAfter(at)).count();
            most = Math.max(most, running);
        }
        return most;
    }
}
