package io.ringfence.fleet;

import static io.ringfence.testkit.Fixtures.DEMO_ORG;
import static io.ringfence.testkit.Fixtures.DEMO_PROJECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringfence.support.Reservations;
import io.ringfence.support.RingfenceTestBase;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;

class FleetLoaderTest extends RingfenceTestBase {

    @Autowired
    FleetLoader loader;
    @Autowired
    JdbcClient jdbc;

    @Test
    void reloadingTheSameManifestChangesNothing() throws Exception {
        FleetManifest manifest = testManifest();
        long hosts = jdbc.sql("SELECT count(*) FROM host").query(Long.class).single();
        FleetLoader.LoadResult result = loader.apply(manifest);
        assertThat(result.changedRows()).isZero();
        assertThat(result.removedRows()).isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM host").query(Long.class).single()).isEqualTo(hosts);
    }

    @Test
    void aManifestThatRemovesAClaimedUnitIsRefusedWhole() throws Exception {
        String region = "test-restart";
        String id = Reservations.create(api, demoToken(), Reservations.body("pinned", DEMO_ORG, DEMO_PROJECT, region,
                1, List.of())).get("metadata").get("id").asString();
        try {
            FleetManifest full = testManifest();
            List<FleetManifest.Region> withoutRegion = new ArrayList<>(full.regions());
            withoutRegion.removeIf(r -> r.id().equals(region));
            long domains = jdbc.sql("SELECT count(*) FROM nvlink_domain").query(Long.class).single();

            assertThatThrownBy(() -> loader.apply(new FleetManifest(withoutRegion)))
                    .isInstanceOf(FleetManifestRejectedException.class)
                    .hasMessageContaining("still claim").hasMessageContaining(id);
            assertThat(jdbc.sql("SELECT count(*) FROM nvlink_domain").query(Long.class).single()).isEqualTo(domains);
        } finally {
            Reservations.deleteAndAwaitGone(api, demoToken(), id);
        }
    }

    @Test
    void generatedInventoryIsStableAndShaped() throws Exception {
        FleetManifest a = testManifest();
        FleetManifest b = testManifest();
        assertThat(a).isEqualTo(b);
        FleetManifest.UnitType type = a.regions().get(0).unitTypes().get(0);
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
        try (InputStream in = new ClassPathResource("fleet/test-fleet.yaml").getInputStream()) {
            return FleetManifestParser.parse(in);
        }
    }
}
