package io.ringfence.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.support.RingfenceTestBase;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The store's cached unit types against the running service's database, the way a create looks its offering up. */
class FleetStoreTest extends RingfenceTestBase {

    @Autowired
    FleetStore fleet;
    @Autowired
    FleetLoader loader;

    @Test
    void everyUnitTypeIsFoundByItsOfferingAndNothingElse() {
        List<UnitType> all = fleet.unitTypes();
        assertThat(all).hasSizeGreaterThan(1);
        for (UnitType t : all) {
            assertThat(fleet.unitType(t.regionId(), t.accelerator(), t.unit())).contains(t);
            assertThat(fleet.unitType(t.id())).contains(t);
            // each part of the offering counts, exactly as written
            assertThat(fleet.unitType(t.regionId(), t.accelerator(), t.unit() + "x")).isEmpty();
            assertThat(fleet.unitType(t.regionId(), t.accelerator().toLowerCase(Locale.ROOT), t.unit())).isEmpty();
            assertThat(fleet.unitType(t.regionId() + "x", t.accelerator(), t.unit())).isEmpty();
            assertThat(fleet.unitType(null, t.accelerator(), t.unit())).isEmpty();
        }
        // asked in another region, the same accelerator and unit answer that region's type or none
        UnitType first = all.get(0);
        for (UnitType other : all) {
            assertThat(fleet.unitType(other.regionId(), first.accelerator(), first.unit()).map(UnitType::regionId))
                    .isIn(Optional.empty(), Optional.of(other.regionId()));
        }
    }

    @Test
    void theLookupsAreRebuiltAfterAManifestIsApplied() throws Exception {
        List<UnitType> before = fleet.unitTypes();
        loader.apply(FleetLoaderTest.testManifest());
        for (UnitType t : before) {
            assertThat(fleet.unitType(t.regionId(), t.accelerator(), t.unit())).contains(t);
        }
        assertThat(fleet.unitTypes()).containsExactlyElementsOf(before);
    }
}
