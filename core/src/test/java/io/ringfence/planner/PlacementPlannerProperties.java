package io.ringfence.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** The planner's promises over random reservations with random free hosts. */
class PlacementPlannerProperties {

    private static final int EXAMPLES = 1000;

    @Test
    void placesExactlyCountDistinctFreeHosts() {
        qt().withExamples(EXAMPLES).forAll(reservations(), counts(), booleans().all(), booleans().all())
                .checkAssert((free, count, spread, fail) -> {
                    Plan plan = PlacementPlanner.plan(free, request(count, spread, null, null, fail,
                            PlacementRequest.Readiness.IGNORE));
                    if (plan instanceof Plan.Placed placed) {
                        assertThat(placed.hosts()).hasSize(count);
                        Set<String> refs = new HashSet<>();
                        placed.hosts().forEach(h -> assertThat(refs.add(h.infrastructureRef())).isTrue());
                        assertThat(free).containsAll(placed.hosts());
                    } else if (plan instanceof Plan.NotEnoughHosts notEnough) {
                        assertThat(free.size()).isLessThan(count);
                        assertThat(notEnough.usable()).isEqualTo(free.size());
                    }
                    if (free.size() >= count && !(spread && fail)) {
                        assertThat(plan).isInstanceOf(Plan.Placed.class);
                    }
                });
    }

    @Test
    void packUsesTheFewestDomainsPossible() {
        qt().withExamples(EXAMPLES).forAll(reservations(), counts()).checkAssert((free, count) -> {
            Plan plan = PlacementPlanner.plan(free, request(count, false, null, null, true,
                    PlacementRequest.Readiness.IGNORE));
            if (plan instanceof Plan.Placed placed) {
                List<Integer> sizes = new ArrayList<>(perDomain(free).values());
                sizes.sort((a, b) -> b - a);
                int minimum = 0;
                int covered = 0;
                while (covered < count) {
                    covered += sizes.get(minimum++);
                }
                assertThat(perDomain(placed.hosts())).hasSize(minimum);
            }
        });
    }

    @Test
    void spreadKeepsSkewAndMinDomainsOrSaysItCannot() {
        qt().withExamples(EXAMPLES)
                .forAll(reservations(), counts(), integers().between(1, 4), integers().between(1, 6))
                .checkAssert((free, count, maxSkew, minDomains) -> {
                    if (minDomains > count) {
                        return;
                    }
                    Plan plan = PlacementPlanner.plan(free, request(count, true, maxSkew, minDomains, true,
                            PlacementRequest.Readiness.IGNORE));
                    List<String> eligible = new ArrayList<>(perDomain(free).keySet());
                    if (plan instanceof Plan.Placed placed) {
                        assertThat(PlacementPlanner.skew(placed.hosts(), eligible)).isLessThanOrEqualTo(maxSkew);
                        assertThat(perDomain(placed.hosts()).size()).isGreaterThanOrEqualTo(minDomains);
                    } else if (plan instanceof Plan.Unsatisfiable) {
                        // best effort shows what the fairest assignment reaches: it must break a constraint
                        Plan best = PlacementPlanner.plan(free, request(count, true, maxSkew, minDomains, false,
                                PlacementRequest.Readiness.IGNORE));
                        Plan.Placed placed = (Plan.Placed) best;
                        boolean skewBroken = PlacementPlanner.skew(placed.hosts(), eligible) > maxSkew;
                        boolean domainsBroken = perDomain(placed.hosts()).size() < minDomains;
                        assertThat(skewBroken || domainsBroken).isTrue();
                        // and no assignment does better: the domain count is already the most the free hosts allow
                        if (domainsBroken) {
                            assertThat(perDomain(placed.hosts()).size())
                                    .isEqualTo(Math.min(count, eligible.size()));
                        }
                    }
                });
    }

    @Test
    void spreadIsAsEvenAsCapacityAllows() {
        qt().withExamples(EXAMPLES).forAll(uniformReservations(), counts()).checkAssert((free, count) -> {
            Plan plan = PlacementPlanner.plan(free, request(count, true, null, null, false,
                    PlacementRequest.Readiness.IGNORE));
            if (plan instanceof Plan.Placed placed) {
                // domains of equal free capacity: every domain gets floor or ceil of count / domains
                int domains = perDomain(free).size();
                for (int n : perDomain(placed.hosts()).values()) {
                    assertThat(n).isBetween(count / domains, (count + domains - 1) / domains);
                }
            }
        });
    }

    @Test
    void requireNeverUsesHostsThatAreNotReady() {
        qt().withExamples(EXAMPLES).forAll(reservations(), counts(), booleans().all())
                .checkAssert((free, count, spread) -> {
                    Plan plan = PlacementPlanner.plan(free, request(count, spread, null, null, false,
                            PlacementRequest.Readiness.REQUIRE));
                    if (plan instanceof Plan.Placed placed) {
                        assertThat(placed.hosts()).allMatch(FreeHost::ready);
                    } else {
                        assertThat(free.stream().filter(FreeHost::ready).count()).isLessThan(count);
                    }
                    Plan prefer = PlacementPlanner.plan(free, request(count, spread, null, null, false,
                            PlacementRequest.Readiness.PREFER));
                    if (prefer instanceof Plan.Placed placed
                            && free.stream().filter(FreeHost::ready).count() >= count) {
                        assertThat(placed.hosts()).allMatch(FreeHost::ready);
                    }
                });
    }

    /** Hosts requested: 1 to 60. */
    private static Gen<Integer> counts() {
        return integers().between(1, 60);
    }

    private static PlacementRequest request(int count, boolean spread, Integer maxSkew, Integer minDomains,
                                            boolean fail, PlacementRequest.Readiness readiness) {
        return new PlacementRequest(count, spread ? PlacementRequest.Policy.SPREAD : PlacementRequest.Policy.PACK,
                maxSkew, minDomains, fail, readiness);
    }

    private static Map<String, Integer> perDomain(List<FreeHost> hosts) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        hosts.forEach(h -> counts.merge(h.domainId(), 1, Integer::sum));
        return counts;
    }

    /** 1 to 6 domains of 18 trays, each tray free or taken, ready or not. */
    private static Gen<List<FreeHost>> reservations() {
        return integers().between(1, 6).flatMap(domains ->
                lists().of(integers().between(0, 3)).ofSize(domains * 18).map(states -> {
                    List<FreeHost> free = new ArrayList<>();
                    for (int d = 0; d < domains; d++) {
                        for (int h = 0; h < 18; h++) {
                            int state = states.get(d * 18 + h);
                            if (state > 0) {
                                free.add(new FreeHost("host-" + d + "-" + h, "domain-" + d, d, h, state > 1));
                            }
                        }
                    }
                    return free;
                }));
    }

    /** 1 to 5 domains with the same number (1 to 18) of free, ready hosts each. */
    private static Gen<List<FreeHost>> uniformReservations() {
        return integers().between(1, 5).zip(integers().between(1, 18), (domains, perDomain) -> {
            List<FreeHost> free = new ArrayList<>();
            for (int d = 0; d < domains; d++) {
                for (int h = 0; h < perDomain; h++) {
                    free.add(new FreeHost("host-" + d + "-" + h, "domain-" + d, d, h, true));
                }
            }
            return free;
        });
    }
}
