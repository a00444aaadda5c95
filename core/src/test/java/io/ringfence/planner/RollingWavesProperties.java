package io.ringfence.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import io.ringfence.planner.RollingWaves.Operation;
import io.ringfence.planner.RollingWaves.Server;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Rolling updates over random placements, servers in every state and random maxUnavailable values. */
class RollingWavesProperties {

    private static final int EXAMPLES = 1000;

    @Test
    void resolutionIsAtLeastOneAndAtMostTheServerCountUnlessACountAboveItIsGiven() {
        qt().withExamples(EXAMPLES).forAll(serverCounts().flatMap(n -> maxUnavailableValues(n).map(v -> Map.entry(n, v))))
                .checkAssert(entry -> {
                    int servers = entry.getKey();
                    String value = entry.getValue();
                    int resolved = RollingWaves.resolveMaxUnavailable(value, servers);
                    assertThat(resolved).isGreaterThanOrEqualTo(1);
                    if (value.endsWith("%") || Integer.parseInt(value) <= servers) {
                        assertThat(resolved).isLessThanOrEqualTo(servers);
                    } else {
                        assertThat(resolved).isEqualTo(Integer.parseInt(value));
                    }
                    assertThat(resolved).isEqualTo(placementRecordResolution(value, servers));
                    assertThat(RollingWaves.valid(value)).isEqualTo(!value.equals("0") && !value.equals("0%"));
                });
    }

    @Test
    void aWaveNeverTakesTheServersInFlightAboveMaxUnavailable() {
        qt().withExamples(EXAMPLES).forAll(placements(), integers().between(1, 12)).checkAssert((servers, max) -> {
            List<String> wave = RollingWaves.nextWave(servers, max);
            long inFlight = servers.stream().filter(Server::inFlight).count();
            long startable = servers.stream().filter(Server::startable).count();
            if (inFlight >= max) {
                assertThat(wave).isEmpty();
            } else {
                assertThat(inFlight + wave.size()).isLessThanOrEqualTo(max);
                // and it fills the free slots as far as there are servers to start
                assertThat((long) wave.size()).isEqualTo(Math.min(max - inFlight, startable));
            }
        });
    }

    @Test
    void aWaveStartsOnlyIdleDriftedServersInOrdinalOrder() {
        qt().withExamples(EXAMPLES).forAll(placements(), integers().between(1, 12)).checkAssert((servers, max) -> {
            List<String> wave = RollingWaves.nextWave(servers, max);
            Map<String, Server> byId = new HashMap<>();
            servers.forEach(s -> byId.put(s.serverId(), s));
            assertThat(wave).doesNotHaveDuplicates();
            for (String id : wave) {
                Server server = byId.get(id);
                assertThat(server.created()).isTrue();
                assertThat(server.current()).isFalse();
                assertThat(server.operation()).isEqualTo(Operation.NONE);
            }
            // the first startable servers by ordinal, whatever order they come in
            List<String> expected = servers.stream().filter(Server::startable)
                    .sorted((a, b) -> Integer.compare(a.ordinal(), b.ordinal())).map(Server::serverId)
                    .limit(wave.size()).toList();
            assertThat(wave).isEqualTo(expected);
            List<Server> shuffled = new ArrayList<>(servers);
            Collections.reverse(shuffled);
            assertThat(RollingWaves.nextWave(shuffled, max)).isEqualTo(wave);
        });
    }

    @Test
    void everyServerIsUpdatedOnceWhenWavesComplete() {
        qt().withExamples(EXAMPLES).forAll(placements(), maxUnavailableValues(40), longs().all())
                .checkAssert((initial, value, seed) -> {
                    int max = RollingWaves.resolveMaxUnavailable(value, initial.size());
                    Random random = new Random(seed);
                    Map<String, Server> servers = new HashMap<>();
                    initial.forEach(s -> servers.put(s.serverId(), s));
                    Map<String, Integer> updates = new HashMap<>();
                    Map<String, Integer> failuresLeft = new HashMap<>();
                    initial.forEach(s -> failuresLeft.put(s.serverId(), random.nextInt(3)));
                    int rounds = 0;
                    while (RollingWaves.inProgress(List.copyOf(servers.values()))) {
                        assertThat(rounds++).as("rounds").isLessThan(10_000);
                        List<String> wave = RollingWaves.nextWave(List.copyOf(servers.values()), max);
                        for (String id : wave) {
                            Server s = servers.get(id);
                            assertThat(s.current()).as("an updated server is never started again").isFalse();
                            servers.put(id, new Server(id, s.ordinal(), s.created(), false, Operation.RECONCILE));
                        }
                        long inFlight = servers.values().stream().filter(Server::inFlight).count();
                        long inFlightBefore = inFlight - wave.size();
                        assertThat(inFlight).isLessThanOrEqualTo(Math.max(max, inFlightBefore));
                        // the platform moves on: creations, other operations and re-images end, some of them badly
                        for (Server s : List.copyOf(servers.values())) {
                            if (random.nextInt(3) != 0) {
                                continue;
                            }
                            String id = s.serverId();
                            if (!s.created()) {
                                servers.put(id, new Server(id, s.ordinal(), true, s.current(), s.operation()));
                            } else if (s.operation() == Operation.OTHER) {
                                servers.put(id, new Server(id, s.ordinal(), true, s.current(), Operation.NONE));
                            } else if (s.inFlight() && failuresLeft.get(id) > 0) {
                                failuresLeft.merge(id, -1, Integer::sum);
                                servers.put(id, new Server(id, s.ordinal(), true, false, Operation.NONE));
                            } else if (s.inFlight()) {
                                updates.merge(id, 1, Integer::sum);
                                servers.put(id, new Server(id, s.ordinal(), true, true, Operation.NONE));
                            }
                        }
                    }
                    for (Server s : initial) {
                        boolean needsUpdate = !s.current() || s.inFlight();
                        assertThat(updates.getOrDefault(s.serverId(), 0)).as(s.serverId())
                                .isEqualTo(needsUpdate ? 1 : 0);
                        assertThat(servers.get(s.serverId()).current()).isTrue();
                    }
                });
    }

    /** The resolution the server's placement record applies today. */
    private static int placementRecordResolution(String value, int hosts) {
        int resolved = value.endsWith("%")
                ? (int) Math.ceil(Integer.parseInt(value.substring(0, value.length() - 1)) * hosts / 100.0)
                : Integer.parseInt(value);
        return Math.max(1, resolved);
    }

    private static Gen<Integer> serverCounts() {
        return integers().between(1, 200);
    }

    /** Percentages 0 to 100, counts 0 to three times the servers, now and then with leading zeros. */
    private static Gen<String> maxUnavailableValues(int servers) {
        Gen<String> percentages = integers().between(0, 100).map(p -> p + "%");
        Gen<String> counts = integers().between(0, 3 * servers).zip(integers().between(0, 3),
                (n, zeros) -> zeros == 3 ? "00" + n : String.valueOf(n));
        return Generate.oneOf(percentages, counts);
    }

    /**
     * 1 to 40 servers, ordinals with gaps, listed in any order, each created or not, current or drifted, and
     * idle, re-imaging or busy with another operation.
     */
    private static Gen<List<Server>> placements() {
        Gen<int[]> states = integers().between(0, 2).zip(integers().between(0, 3), integers().between(0, 5),
                integers().between(1, 3), (created, current, operation, gap) ->
                        new int[] {created, current, operation, gap});
        return lists().of(states).ofSizeBetween(1, 40).zip(longs().all(), (list, seed) -> {
            List<Server> servers = new ArrayList<>();
            int ordinal = 0;
            for (int i = 0; i < list.size(); i++) {
                int[] state = list.get(i);
                ordinal += state[3] - 1;
                Operation operation = state[2] <= 3 ? Operation.NONE
                        : state[2] == 4 ? Operation.RECONCILE : Operation.OTHER;
                // a server not yet created has nothing in flight
                boolean created = state[0] > 0;
                servers.add(new Server("psrv-" + i, ordinal++, created, state[1] == 0,
                        created ? operation : Operation.NONE));
            }
            Collections.shuffle(servers, new Random(seed));
            return servers;
        });
    }

    @Test
    void theGeneratorsCoverEveryState() {
        Set<String> seen = new HashSet<>();
        qt().withExamples(200).forAll(placements()).checkAssert(servers -> servers.forEach(s ->
                seen.add(s.created() + "/" + s.current() + "/" + s.operation())));
        assertThat(seen).contains("false/false/NONE", "false/true/NONE", "true/false/NONE", "true/true/NONE",
                "true/false/RECONCILE", "true/true/RECONCILE", "true/false/OTHER", "true/true/OTHER");
    }
}
