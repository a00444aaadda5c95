package io.ringfence.catalog;

import io.ringfence.contract.api.ReservationUnitsApi;
import io.ringfence.contract.model.ReservationCalendarV2;
import io.ringfence.contract.model.ReservationOfferingV2;
import io.ringfence.contract.model.ReservationUnitV2;
import io.ringfence.identity.CurrentCaller;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

/**
 * The unit catalog: what each region offers and how much of it is free right now. The regional list is public
 * to any valid token. The organization list answers with the same figures, since every organization's
 * allocation scope is the whole fleet until allocation scopes exist; it needs a grant in that organization.
 */
@RestController
public class CatalogController implements ReservationUnitsApi {

    private final CatalogService catalog;
    private final CurrentCaller caller;

    public CatalogController(CatalogService catalog, CurrentCaller caller) {
        this.catalog = catalog;
        this.caller = caller;
    }

    @Override
    public ResponseEntity<List<ReservationUnitV2>> listReservationUnits(List<String> regionID, List<String> accelerator,
                                                                        List<String> unit) {
        return ResponseEntity.ok(catalog.offerings(regionID, accelerator, unit).stream()
                .map(CatalogConversion::toWire).toList());
    }

    @Override
    public ResponseEntity<List<ReservationOfferingV2>> listReservationOfferings(String regionID, String accelerator,
            String unit, Integer count, String duration, String earliestStart, Integer limit) {
        caller.get(); // any valid token may search, as for the public catalog
        return ResponseEntity.ok(catalog.offeringsInTime(regionID, accelerator, unit, count, duration, earliestStart,
                limit).stream().map(CatalogConversion::toWire).toList());
    }

    @Override
    public ResponseEntity<ReservationCalendarV2> getReservationCalendar(String regionID, String accelerator,
                                                                        String unit, String from, String until) {
        return ResponseEntity.ok(CatalogConversion.toWire(catalog.calendar(caller.get(), regionID, accelerator, unit,
                from, until)));
    }

    @Override
    public ResponseEntity<List<ReservationUnitV2>> listOrganizationReservationUnits(
            String organizationID, List<String> regionID, List<String> accelerator, List<String> unit) {
        return ResponseEntity.ok(catalog.offerings(caller.get(), organizationID, regionID, accelerator, unit).stream()
                .map(CatalogConversion::toWire).toList());
    }
}
