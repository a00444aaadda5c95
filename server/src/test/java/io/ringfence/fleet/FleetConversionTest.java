package io.ringfence.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringfence.contract.model.ArchitectureV2;
import io.ringfence.contract.model.GpuVendorV2;
import io.ringfence.contract.model.ReservationUnitHostV2;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A unit type's host shape on the wire. */
class FleetConversionTest {

    @ParameterizedTest(name = "{3} {4} {5}")
    @CsvSource({
            "144, 960,    0, aarch64, NVIDIA, GB300,  4, 4, 288, AARCH64, NVIDIA",
            "224, 2048, 7680, x86_64, NVIDIA, H200,   8, 8, 141, X86_64,  NVIDIA",
            "192, 1536, 3840, x86_64, AMD,    MI300X, 8, 16, 192, X86_64, AMD",
            "0,   0,    0,    UNKNOWN, UNKNOWN, none,  0, 0, 0,   UNKNOWN, UNKNOWN"})
    void everyFieldOfTheHostShapeIsCarried(int cpus, int memory, int disk, String architecture, String vendor,
                                           String model, int physical, int logical, int gpuMemory,
                                           ArchitectureV2 wireArchitecture, GpuVendorV2 wireVendor) {
        HostShape shape = new HostShape(cpus, memory, disk, architecture,
                new HostShape.Gpu(vendor, model, physical, logical, gpuMemory));

        ReservationUnitHostV2 host = FleetConversion.host(shape);

        assertThat(host.getCpus()).isEqualTo(cpus);
        assertThat(host.getMemory()).isEqualTo(memory);
        assertThat(host.getDisk()).isEqualTo(disk);
        assertThat(host.getArchitecture()).isEqualTo(wireArchitecture);
        assertThat(host.getGpu().getVendor()).isEqualTo(wireVendor);
        assertThat(host.getGpu().getModel()).isEqualTo(model);
        assertThat(host.getGpu().getPhysicalCount()).isEqualTo(physical);
        assertThat(host.getGpu().getLogicalCount()).isEqualTo(logical);
        assertThat(host.getGpu().getMemory()).isEqualTo(gpuMemory);
    }

    @Test
    void onlyShapesTheWireCanCarryCanBeBuilt() {
        HostShape.Gpu gpu = new HostShape.Gpu("NVIDIA", "H100", 8, 8, 80);
        assertThatThrownBy(() -> new HostShape(8, 64, 0, "arm64", gpu)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HostShape(8, 64, 0, "X86_64", gpu)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HostShape(-1, 64, 0, "x86_64", gpu)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HostShape(8, 64, 0, "x86_64", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new HostShape.Gpu("nvidia", "H100", 8, 8, 80)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HostShape.Gpu("INTEL", "Gaudi3", 8, 8, 128)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HostShape.Gpu("NVIDIA", " ", 8, 8, 80)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HostShape.Gpu("NVIDIA", "H100", 8, -1, 80)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void perUnitFiguresMultiplyTheHostByTheHostsPerUnit() {
        UnitType nvl72 = new UnitType(1, "region-1", "GB300", "NVL72", "flavor", "GB300_HOST", 18,
                new HostShape(144, 960, 0, "aarch64", new HostShape.Gpu("NVIDIA", "GB300", 4, 4, 288)));

        assertThat(nvl72.cpusPerUnit()).isEqualTo(2592);
        assertThat(nvl72.gpusPerUnit()).isEqualTo(72);
        assertThat(nvl72.gpuMemoryPerUnit()).isEqualTo(72 * 288);
        assertThat(nvl72.memoryPerUnit()).isEqualTo(17280);
    }
}
