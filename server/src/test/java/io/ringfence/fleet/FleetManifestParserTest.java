package io.ringfence.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The manifest parser on its own: plain values in and out, no Spring, no database. */
class FleetManifestParserTest {

    @Test
    void generatedInventoryIsStableAndShaped() throws Exception {
        FleetManifest a = testManifest();
        FleetManifest b = testManifest();
        assertThat(a).isEqualTo(b);
        FleetManifest.UnitTypeDeclaration type = a.regions().get(0).unitTypes().get(0);
        assertThat(type.pods()).hasSize(2);
        assertThat(type.pods().get(0).domains()).hasSize(8);
        assertThat(type.pods().get(0).domains().get(0).hosts()).hasSize(18).doesNotHaveDuplicates();
    }

    @Test
    void invalidManifestsAreRejectedWithAReason() {
        String missingFlavor = """
                regions:
                  - id: r
                    name: r
                    unitTypes:
                      - {accelerator: GB300, unit: NVL72, deviceTypeResourceClass: X, hostsPerUnit: 2,
                         host: {cpus: 1, memory: 1, disk: 0, gpu: {vendor: NVIDIA, model: m, physicalCount: 1, logicalCount: 1, memory: 1}}}
                """;
        assertThatThrownBy(() -> FleetManifestParser.parse(new java.io.ByteArrayInputStream(missingFlavor.getBytes())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("machineFlavorId");
        String wrongHostCount = """
                regions:
                  - id: r
                    name: r
                    unitTypes:
                      - {accelerator: GB300, unit: NVL72, machineFlavorId: f, deviceTypeResourceClass: X, hostsPerUnit: 2,
                         host: {cpus: 1, memory: 1, disk: 0, gpu: {vendor: NVIDIA, model: m, physicalCount: 1, logicalCount: 1, memory: 1}},
                         pods: [{id: p, name: p, domains: [{id: d, name: d, hosts: [h1]}]}]}
                """;
        assertThatThrownBy(() -> FleetManifestParser.parse(new java.io.ByteArrayInputStream(wrongHostCount.getBytes())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has 1 hosts");
    }

    private static FleetManifest testManifest() throws Exception {
        try (InputStream in = FleetManifestParserTest.class.getClassLoader().getResourceAsStream("fleet/test-fleet.yaml")) {
            return FleetManifestParser.parse(in);
        }
    }
}
