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

/** The loader against the running service's database; the parser alone is {@link FleetManifestParserTest}. */
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

    /** The fleet the tests' service loaded at start. */
    static FleetManifest testManifest() throws Exception {
        try (InputStream in = new ClassPathResource("fleet/test-fleet.yaml").getInputStream()) {
            return FleetManifestParser.parse(in);
        }
    }
}
