package io.ringfence.spares;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses the unit that replaces a failed unit of a reservation. Pure: plain values in, plain values out.
 *
 * <p>The rules:
 * <ol>
 *   <li>Only a unit the reservation still holds and that still has failed hosts is replaced; otherwise there is
 *       nothing to do (it healed or the claim changed since the caller looked).</li>
 *   <li>A spare lies in the failed unit's pod, is healthy (no failed hosts), is not draining and is claimed by
 *       no reservation.</li>
 *   <li>Of those, the spare nearest to the reservation's healthy units wins, so the claim stays as compact as it
 *       can: its distance is the smallest {@code |position - position of a healthy held unit|}, or 0 for every
 *       spare when the reservation holds no healthy unit. Ties go to the lowest position (positions are unique
 *       within a pod).</li>
 * </ol>
 * Note that the failed unit itself does not pull the choice towards it: only the healthy held units do.
 */
public final class SpareChooser {

    private SpareChooser() {
    }

    /**
     * One unit the reservation holds.
     *
     * @param unitId the unit (NVLink domain)
     * @param podId its pod
     * @param position its position within the pod
     * @param healthy whether none of its hosts has failed
     */
    public record HeldUnit(String unitId, String podId, int position, boolean healthy) {
        public HeldUnit {
            Objects.requireNonNull(unitId, "unitId");
            Objects.requireNonNull(podId, "podId");
            if (position < 0) {
                throw new IllegalArgumentException("position must be >= 0: " + position);
            }
        }
    }

    /**
     * One unit of the fleet, a candidate spare if it qualifies.
     *
     * @param unitId the unit (NVLink domain)
     * @param podId its pod
     * @param position its position within the pod
     * @param healthy whether none of its hosts has failed
     * @param draining whether an operator drains it (it takes no new claims)
     * @param claimed whether any reservation, this one included, holds it
     */
    public record FleetUnit(String unitId, String podId, int position, boolean healthy, boolean draining,
                            boolean claimed) {
        public FleetUnit {
            Objects.requireNonNull(unitId, "unitId");
            Objects.requireNonNull(podId, "podId");
            if (position < 0) {
                throw new IllegalArgumentException("position must be >= 0: " + position);
            }
        }

        /** Healthy, not draining and free: a unit that could take over from a failed one of the same pod. */
        public boolean eligible() {
            return healthy && !draining && !claimed;
        }
    }

    /**
     * The chosen spare.
     *
     * @param unitId the spare unit
     * @param podId its pod, the failed unit's pod
     * @param position its position within the pod
     * @param distance its distance to the nearest healthy unit of the reservation (0 when there is none)
     */
    public record Spare(String unitId, String podId, int position, int distance) {
        public Spare {
            Objects.requireNonNull(unitId, "unitId");
            Objects.requireNonNull(podId, "podId");
            if (position < 0 || distance < 0) {
                throw new IllegalArgumentException("position and distance must be >= 0: " + position + ", " + distance);
            }
        }
    }

    /**
     * The spare to replace {@code failedUnitId}, or empty when there is none or nothing is to be replaced.
     *
     * @param failedUnitId the unit to replace
     * @param claim every unit the reservation holds, the failed one included
     * @param fleet the fleet's units (at least those of the failed unit's pod; others are never chosen)
     * @throws IllegalArgumentException when a list names a unit twice, two fleet units share a position in a
     *     pod, or a held unit appears in the fleet as not claimed
     */
    public static Optional<Spare> choose(String failedUnitId, List<HeldUnit> claim, List<FleetUnit> fleet) {
        Objects.requireNonNull(failedUnitId, "failedUnitId");
        Map<String, HeldUnit> held = new HashMap<>();
        for (HeldUnit unit : claim) {
            if (held.put(unit.unitId(), unit) != null) {
                throw new IllegalArgumentException("the claim names unit " + unit.unitId() + " twice");
            }
        }
        validate(fleet, held.keySet());
        HeldUnit failed = held.get(failedUnitId);
        if (failed == null || failed.healthy()) {
            return Optional.empty();
        }
        FleetUnit best = null;
        int bestDistance = 0;
        for (FleetUnit unit : fleet) {
            if (!unit.podId().equals(failed.podId()) || !unit.eligible()) {
                continue;
            }
            int distance = distance(unit.position(), claim);
            if (best == null || distance < bestDistance
                    || (distance == bestDistance && unit.position() < best.position())) {
                best = unit;
                bestDistance = distance;
            }
        }
        return best == null ? Optional.empty()
                : Optional.of(new Spare(best.unitId(), best.podId(), best.position(), bestDistance));
    }

    /** Distance from {@code position} to the nearest healthy held unit; 0 when the reservation holds none. */
    private static int distance(int position, List<HeldUnit> claim) {
        int nearest = Integer.MAX_VALUE;
        for (HeldUnit unit : claim) {
            if (unit.healthy()) {
                nearest = Math.min(nearest, Math.abs(unit.position() - position));
            }
        }
        return nearest == Integer.MAX_VALUE ? 0 : nearest;
    }

    private static void validate(List<FleetUnit> fleet, Set<String> heldIds) {
        Set<String> ids = new HashSet<>();
        Set<String> places = new HashSet<>();
        for (FleetUnit unit : fleet) {
            if (!ids.add(unit.unitId())) {
                throw new IllegalArgumentException("the fleet names unit " + unit.unitId() + " twice");
            }
            if (!places.add(unit.podId() + '\n' + unit.position())) {
                throw new IllegalArgumentException("two units share position " + unit.position() + " in pod "
                        + unit.podId());
            }
            if (heldIds.contains(unit.unitId()) && !unit.claimed()) {
                throw new IllegalArgumentException("unit " + unit.unitId() + " is held but not claimed in the fleet");
            }
        }
    }
}
