package io.ringfence.catalog;

import io.ringfence.contract.model.ReservationCalendarBookingV2;
import io.ringfence.contract.model.ReservationCalendarPodV2;
import io.ringfence.contract.model.ReservationCalendarStepV2;
import io.ringfence.contract.model.ReservationCalendarV2;
import io.ringfence.contract.model.ReservationOfferingV2;
import java.time.Instant;
import io.ringfence.contract.model.ReservationUnitV2;
import io.ringfence.resource.ResourceConversion;
import io.ringfence.fleet.FleetConversion;
import io.ringfence.fleet.UnitType;

/** Catalog offerings on the wire. */
final class CatalogConversion {

    private CatalogConversion() {
    }

    static ReservationCalendarV2 toWire(CatalogService.CalendarView view) {
        UnitType type = view.unitType();
        return new ReservationCalendarV2()
                .regionId(type.regionId())
                .accelerator(type.accelerator())
                .unit(type.unit())
                .from(ResourceConversion.time(view.from()))
                .until(ResourceConversion.time(view.until()))
                .pods(view.pods().stream().map(pod -> new ReservationCalendarPodV2()
                        .podId(pod.podId())
                        .totalUnitCount(pod.totalUnitCount())
                        .free(pod.free().stream().map(step -> new ReservationCalendarStepV2()
                                .time(ResourceConversion.time(Instant.ofEpochSecond(step.instant())))
                                .freeUnitCount(step.freeCount())).toList())).toList())
                .bookings(view.bookings().stream().map(b -> new ReservationCalendarBookingV2()
                        .reservationId(b.id())
                        .name(b.name())
                        .organizationId(b.organizationId())
                        .projectId(b.projectId())
                        .podId(b.podId())
                        .unitIds(b.unitIds())
                        .startTime(ResourceConversion.time(b.start()))
                        .endTime(ResourceConversion.time(b.end()))).toList());
    }

    static ReservationOfferingV2 toWire(CatalogService.TimedOffering offering) {
        UnitType type = offering.unitType();
        return new ReservationOfferingV2()
                .regionId(type.regionId())
                .accelerator(type.accelerator())
                .unit(type.unit())
                .count(offering.count())
                .startTime(ResourceConversion.time(offering.start()))
                .endTime(ResourceConversion.time(offering.end()));
    }

    static ReservationUnitV2 toWire(CatalogService.Offering offering) {
        UnitType type = offering.unitType();
        return new ReservationUnitV2()
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
                .host(FleetConversion.host(type.host()))
                .availableUnitCount(offering.figures().availableUnitCount())
                .largestContiguousUnitCount(offering.figures().largestContiguousUnitCount())
                .totalCount(offering.figures().totalCount());
    }
}
