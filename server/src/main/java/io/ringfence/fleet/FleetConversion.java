package io.ringfence.fleet;

import io.ringfence.contract.model.ArchitectureV2;
import io.ringfence.contract.model.GpuVendorV2;
import io.ringfence.contract.model.ReservationUnitGpuV2;
import io.ringfence.contract.model.ReservationUnitHostV2;

/** The fleet's values on the wire. */
public final class FleetConversion {

    private FleetConversion() {
    }

    public static ReservationUnitHostV2 host(HostShape shape) {
        HostShape.Gpu gpu = shape.gpu();
        return new ReservationUnitHostV2()
                .cpus(shape.cpus())
                .memory(shape.memory())
                .disk(shape.disk())
                .architecture(ArchitectureV2.fromValue(shape.architecture()))
                .gpu(new ReservationUnitGpuV2()
                        .vendor(GpuVendorV2.fromValue(gpu.vendor()))
                        .model(gpu.model())
                        .physicalCount(gpu.physicalCount())
                        .logicalCount(gpu.logicalCount())
                        .memory(gpu.memory()));
    }
}
