package io.ringfence.planner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses the hosts of a new placement from its reservation's free hosts. Pure: plain values in and out.
 *
 * <ul>
 *   <li>{@code pack} uses as few NVLink domains as possible, filling each before the next: the fullest domains
 *       first, and for the last one the smallest domain that still holds the remainder, so whole domains stay
 *       free for later placements.</li>
 *   <li>{@code spread} gives the next host to the domain with the fewest so far (max-min fair, which
 *       minimises the skew any assignment can reach and uses as many domains as it can), then checks
 *       {@code maxSkew} and {@code minDomains}: with {@code fail} a miss is {@link Plan.Unsatisfiable}, with
 *       {@code bestEffort} the fairest assignment is used anyway. Skew is measured over the eligible domains,
 *       those with at least one usable host.</li>
 *   <li>Readiness: {@code Require} uses ready hosts only; {@code Prefer} plans with ready hosts when there are
 *       enough and with all hosts otherwise; {@code Ignore} treats all alike.</li>
 * </ul>
 */
public final class PlacementPlanner {

    private PlacementPlanner() {
    }

    public static Plan plan(List<FreeHost> free, PlacementRequest request) {
        List<FreeHost> usable = usable(free, request);
        if (usable.size() < request.count()) {
            return new Plan.NotEnoughHosts(request.count(), usable.size());
        }
        Map<String, List<FreeHost>> domains = byDomain(usable);
        return request.policy() == PlacementRequest.Policy.PACK ? pack(domains, request.count())
                : spread(domains, request);
    }

    private static List<FreeHost> usable(List<FreeHost> free, PlacementRequest request) {
        List<FreeHost> ready = free.stream().filter(FreeHost::ready).toList();
        return switch (request.readiness()) {
            case REQUIRE -> ready;
            case PREFER -> ready.size() >= request.count() ? ready : free;
            case IGNORE -> free;
        };
    }

    /** Domains in physical order, each with its hosts in tray order. */
    private static Map<String, List<FreeHost>> byDomain(List<FreeHost> hosts) {
        List<FreeHost> sorted = new ArrayList<>(hosts);
        sorted.sort(Comparator.comparingInt(FreeHost::domainPosition).thenComparing(FreeHost::domainId)
                .thenComparingInt(FreeHost::position).thenComparing(FreeHost::infrastructureRef));
        Map<String, List<FreeHost>> domains = new LinkedHashMap<>();
        for (FreeHost host : sorted) {
            domains.computeIfAbsent(host.domainId(), k -> new ArrayList<>()).add(host);
        }
        return domains;
    }

    private static Plan pack(Map<String, List<FreeHost>> domains, int count) {
        List<List<FreeHost>> bySize = new ArrayList<>(domains.values());
        bySize.sort(Comparator.comparingInt((List<FreeHost> d) -> d.size()).reversed());
        List<List<FreeHost>> full = new ArrayList<>();
        List<FreeHost> last = null;
        int covered = 0;
        for (int i = 0; last == null; i++) {
            int remainder = count - covered;
            if (bySize.get(i).size() >= remainder) {
                // the last domain: the smallest one that holds the rest keeps bigger domains whole
                int best = i;
                while (best + 1 < bySize.size() && bySize.get(best + 1).size() >= remainder) {
                    best++;
                }
                last = bySize.get(best);
            } else {
                full.add(bySize.get(i));
                covered += bySize.get(i).size();
            }
        }
        int fromLast = count - covered;
        List<FreeHost> picked = new ArrayList<>(count);
        for (List<FreeHost> domain : domains.values()) { // physical order
            if (domain == last) {
                picked.addAll(domain.subList(0, fromLast));
            } else if (full.contains(domain)) {
                picked.addAll(domain);
            }
        }
        return new Plan.Placed(picked);
    }

    private static Plan spread(Map<String, List<FreeHost>> domains, PlacementRequest request) {
        List<List<FreeHost>> eligible = new ArrayList<>(domains.values());
        int[] assigned = new int[eligible.size()];
        for (int n = 0; n < request.count(); n++) {
            int best = -1;
            for (int d = 0; d < eligible.size(); d++) {
                if (assigned[d] >= eligible.get(d).size()) {
                    continue;
                }
                if (best < 0 || assigned[d] < assigned[best]
                        || (assigned[d] == assigned[best]
                        && eligible.get(d).size() - assigned[d] > eligible.get(best).size() - assigned[best])) {
                    best = d;
                }
            }
            assigned[best]++;
        }
        int used = 0;
        int max = 0;
        int min = Integer.MAX_VALUE;
        for (int a : assigned) {
            used += a > 0 ? 1 : 0;
            max = Math.max(max, a);
            min = Math.min(min, a);
        }
        int skew = max - min;
        if (request.failWhenUnsatisfiable()) {
            if (used < request.effectiveMinDomains()) {
                return new Plan.Unsatisfiable("only " + used + " NVLink domains have free hosts, but minDomains is "
                        + request.effectiveMinDomains());
            }
            if (skew > request.effectiveMaxSkew()) {
                return new Plan.Unsatisfiable("the free hosts allow a skew of " + skew + " at best, but maxSkew is "
                        + request.effectiveMaxSkew());
            }
        }
        List<FreeHost> picked = new ArrayList<>(request.count());
        for (int d = 0; d < eligible.size(); d++) {
            picked.addAll(eligible.get(d).subList(0, assigned[d]));
        }
        return new Plan.Placed(picked);
    }

    /** Skew of a set of hosts over the given eligible domains: most minus fewest hosts per domain. */
    public static int skew(List<FreeHost> placed, List<String> eligibleDomains) {
        Map<String, Integer> perDomain = new LinkedHashMap<>();
        eligibleDomains.forEach(d -> perDomain.put(d, 0));
        placed.forEach(h -> perDomain.merge(h.domainId(), 1, Integer::sum));
        int max = perDomain.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        int min = perDomain.values().stream().mapToInt(Integer::intValue).min().orElse(0);
        return max - min;
    }
}
