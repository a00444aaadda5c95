package io.ringfence.reservation;

import java.util.List;
import java.util.Map;

/**
 * Who uses the hosts of claimed units: a unit with consumers is never swapped or released under them.
 * Placements implement it; without placements no unit has consumers.
 */
public interface UnitConsumers {

    /** Consumers per unit, for the units that have any. */
    Map<String, List<Consumer>> of(String reservationId, List<String> domainIds);

    /** A placement holding hosts of a unit, and its servers on that unit. */
    record Consumer(String placementId, List<String> serverIds) {
        public Consumer {
            serverIds = List.copyOf(serverIds);
        }
    }
}
