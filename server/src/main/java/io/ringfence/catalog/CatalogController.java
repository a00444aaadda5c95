package io.ringfence.catalog;

import io.ringfence.reservation.ReservationConversion;
import io.ringfence.capacity.CatalogFigures;
import io.ringfence.contract.api.ReservationUnitsApi;
import io.ringfence.contract.model.ReservationUnitV2;
import io.ringfence.fleet.FleetRepository;
import io.ringfence.fleet.UnitType;
import io.ringfence.identity.Acl;
import io.ringfence.identity.CurrentCaller;
import io.ringfence.error.ApiException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

/**
 * The unit catalog: what each region offers and how much of it is free right now. The regional list is public
 * to any valid token. The organization list answers with the same figures, since every organization's
 * allocation scope is the whole fleet until allocation scopes exist; it needs a grant in that organization.
 */
@RestController
public class CatalogController implements ReservationUnitsApi {

    private final FleetRepository fleet;
    private final CurrentCaller caller;

    public CatalogController(FleetRepository fleet, CurrentCaller caller) {
        this.fleet = fleet;
        this.caller = caller;
    }

    @Override
    public ResponseEntity<List<ReservationUnitV2>> listReservationUnits(List<String> regionID, List<String> accelerator,
                                                                        List<String> unit) {
        return ResponseEntity.ok(catalog(regionID, accelerator, unit));
    }

    @Override
    public ResponseEntity<List<ReservationUnitV2>> listOrganizationReservationUnits(
            String organizationID, List<String> regionID, List<String> accelerator, List<String> unit) {
        if (!caller.get().allowsSomewhereIn(Acl.Endpoint.RESERVATION_UNITS, Acl.Operation.READ, organizationID)) {
            throw ApiException.forbidden();
        }
        return ResponseEntity.ok(catalog(regionID, accelerator, unit));
    }

    private List<ReservationUnitV2> catalog(List<String> regionIds, List<String> accelerators, List<String> units) {
        Map<Long, List<CatalogFigures.PodCounts>> pods = new HashMap<>();
        for (FleetRepository.PodCapacity pod : fleet.podCapacities()) {
            pods.computeIfAbsent(pod.unitTypeId(), k -> new ArrayList<>())
                    .add(new CatalogFigures.PodCounts(pod.totalUnits(), pod.freeUnits()));
        }
        List<ReservationUnitV2> catalog = new ArrayList<>();
        for (UnitType type : fleet.unitTypes()) {
            if (!matches(regionIds, type.regionId()) || !matches(accelerators, type.accelerator())
                    || !matches(units, type.unit())) {
                continue;
            }
            CatalogFigures figures = CatalogFigures.of(pods.getOrDefault(type.id(), List.of()));
            catalog.add(new ReservationUnitV2()
                    .regionId(type.regionId())
                    .accelerator(type.accelerator())
                    .unit(type.unit())
                    .machineFlavorId(type.machineFlavorId())
                    .deviceTypeResourceClass(type.deviceTypeResourceClass())
                    .hostsPerUnit(type.hostsPerUnit())
                    .cpusPerUnit(Math.toIntExact(type.cpusPerUnit()))
                    .gpusPerUnit(Math.toIntExact(type.gpusPerUnit()))
                    .gpuMemoryPerUnit(Math.toIntExact(type.gpuMemoryPerUnit()))
                    .memoryPerUnit(Math.toIntExact(type.memoryPerUnit()))
                    .host(ReservationConversion.host(type.host()))
                    .availableUnitCount(figures.availableUnitCount())
                    .largestContiguousUnitCount(figures.largestContiguousUnitCount())
                    .totalCount(figures.totalCount()));
        }
        return catalog;
    }

    private static boolean matches(List<String> filter, String value) {
        return filter == null || filter.isEmpty() || filter.contains(value);
    }
}
