package io.ringfence.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringfence.capacity.CatalogFigures;
import io.ringfence.contract.model.ArchitectureV2;
import io.ringfence.contract.model.GpuVendorV2;
import io.ringfence.contract.model.ReservationUnitV2;
import io.ringfence.fleet.HostShape;
import io.ringfence.fleet.UnitType;
import org.junit.jupiter.api.Test;

/** Catalog offerings on the wire: the unit type, its per-unit figures and the pool's counts. */
class CatalogConversionTest {

    static UnitType nvl72() {
        return new UnitType(7, "region-1", "GB300", "NVL72", "g.72.gb300.pinned", "GB300_HOST", 18,
                new HostShape(144, 960, 0, "aarch64", new HostShape.Gpu("NVIDIA", "GB300", 4, 4, 288)));
    }

    @Test
    void anOfferingCarriesItsTypeFiguresAndCounts() {
        CatalogFigures figures = new CatalogFigures(16, 5, 3, 9, 2, 1);

        ReservationUnitV2 wire = CatalogConversion.toWire(new CatalogService.Offering(nvl72(), figures));

        assertThat(wire.getRegionId()).isEqualTo("region-1");
        assertThat(wire.getAccelerator()).isEqualTo("GB300");
        assertThat(wire.getUnit()).isEqualTo("NVL72");
        assertThat(wire.getMachineFlavorId()).isEqualTo("g.72.gb300.pinned");
        assertThat(wire.getDeviceTypeResourceClass()).isEqualTo("GB300_HOST");
        assertThat(wire.getHostsPerUnit()).isEqualTo(18);
        assertThat(wire.getCpusPerUnit()).isEqualTo(18 * 144);
        assertThat(wire.getGpusPerUnit()).isEqualTo(72);
        assertThat(wire.getGpuMemoryPerUnit()).isEqualTo(72 * 288);
        assertThat(wire.getMemoryPerUnit()).isEqualTo(18 * 960);
        assertThat(wire.getHost().getArchitecture()).isEqualTo(ArchitectureV2.AARCH64);
        assertThat(wire.getHost().getGpu().getVendor()).isEqualTo(GpuVendorV2.NVIDIA);
        assertThat(wire.getHost().getGpu().getPhysicalCount()).isEqualTo(4);
        assertThat(wire.getTotalCount()).isEqualTo(16);
        assertThat(wire.getAvailableUnitCount()).isEqualTo(5);
        assertThat(wire.getLargestContiguousUnitCount()).isEqualTo(3);
    }

    @Test
    void aPoolWithoutPodsOffersNothing() {
        ReservationUnitV2 wire = CatalogConversion.toWire(new CatalogService.Offering(nvl72(), CatalogFigures.EMPTY));

        assertThat(wire.getTotalCount()).isZero();
        assertThat(wire.getAvailableUnitCount()).isZero();
        assertThat(wire.getLargestContiguousUnitCount()).isZero();
        assertThat(wire.getGpusPerUnit()).isEqualTo(72);
    }

    @Test
    void perUnitFiguresBeyondTheWiresIntegersAreRefusedRatherThanWrapped() {
        UnitType huge = new UnitType(8, "region-1", "X", "Y", "f", "R", 100_000,
                new HostShape(100_000, 1, 0, "x86_64", new HostShape.Gpu("NVIDIA", "H100", 1, 1, 1)));

        assertThatThrownBy(() -> CatalogConversion.toWire(new CatalogService.Offering(huge, CatalogFigures.EMPTY)))
                .isInstanceOf(ArithmeticException.class);
    }
}
