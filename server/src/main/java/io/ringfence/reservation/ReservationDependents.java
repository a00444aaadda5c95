package io.ringfence.reservation;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What lives on a reservation's units: placements, which implement this port so the reservation feature never
 * imports them. A unit with consumers is never swapped or released under them, and a deleted reservation takes
 * its dependents with it before it lets go of its units.
 */
public interface ReservationDependents {

    /** Consumers per unit, for the units that have any. */
    Map<String, List<Consumer>> consumersOf(String reservationId, List<String> domainIds);

    /** Marks every dependent of the reservation for deletion; returns them all, to converge as work items. */
    List<String> markDeleting(String reservationId);

    /** How many dependents the reservation still has. */
    long count(String reservationId);

    /** Those of the reservations that still have dependents. */
    Set<String> withDependents(List<String> reservationIds);

    /** A placement holding hosts of a unit, and its servers on that unit. */
    record Consumer(String placementId, List<String> serverIds) {
        public Consumer {
            serverIds = List.copyOf(serverIds);
        }
    }
}
