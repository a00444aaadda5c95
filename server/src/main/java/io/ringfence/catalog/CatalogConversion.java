package io.ringfence.catalog;

import io.ringfence.contract.model.ReservationOfferingV2;
import io.ringfence.contract.model.ReservationUnitV2;
import io.ringfence.resource.ResourceConversion;
import io.ringfence.fleet.FleetConversion;
import io.ringfence.fleet.UnitType;

/** Catalog offerings on the wire. */
final class CatalogConversion {

    private CatalogConversion() {
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
