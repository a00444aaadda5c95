package io.ringfence.reservation;

import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Until placements exist, no unit has consumers. */
@Component
public class NoUnitConsumers implements UnitConsumers {

    @Override
    public Map<String, List<Consumer>> of(String reservationId, List<String> domainIds) {
        return Map.of();
    }
}
