package io.ringfence.catalog;

import io.ringfence.capacity.CatalogFigures;
import io.ringfence.fleet.FleetStore;
import io.ringfence.fleet.UnitType;
import io.ringfence.identity.Acl;
import io.ringfence.identity.Caller;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * The unit catalog: every unit type with its figures, computed in one place for the API and the capacity
 * metrics alike.
 */
@Service
public class CatalogService {

    private final FleetStore fleet;

    public CatalogService(FleetStore fleet) {
        this.fleet = fleet;
    }

    /** One offering and its figures. */
    public record Offering(UnitType unitType, CatalogFigures figures) {
    }

    /** The organization's view of the catalog: the same figures, for a caller with a grant there (else 403). */
    public List<Offering> offerings(Caller caller, String organizationId, List<String> regionIds,
                                    List<String> accelerators, List<String> units) {
        caller.requireSomewhereIn(Acl.Endpoint.RESERVATION_UNITS, Acl.Operation.READ, organizationId);
        return offerings(regionIds, accelerators, units);
    }

    /** Every offering, narrowed by the filters (each empty or null: no restriction). */
    public List<Offering> offerings(List<String> regionIds, List<String> accelerators, List<String> units) {
        Map<Long, CatalogFigures> figures = CatalogFigures.perPool(fleet.podCapacities(),
                FleetStore.PodCapacity::unitTypeId,
                p -> new CatalogFigures.PodCounts(p.totalUnits(), p.freeUnits(), p.claimedUnits(),
                        p.unhealthyUnits(), p.drainingUnits()));
        List<Offering> offerings = new ArrayList<>();
        for (UnitType type : fleet.unitTypes()) {
            if (matches(regionIds, type.regionId()) && matches(accelerators, type.accelerator())
                    && matches(units, type.unit())) {
                offerings.add(new Offering(type, figures.getOrDefault(type.id(), CatalogFigures.EMPTY)));
            }
        }
        return offerings;
    }

    private static boolean matches(List<String> filter, String value) {
        return filter == null || filter.isEmpty() || filter.contains(value);
    }
}
