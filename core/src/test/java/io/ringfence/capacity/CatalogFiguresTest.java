package io.ringfence.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogFiguresTest {

    @Test
    void sumsThePodsAndTakesTheLargestFreePod() {
        // pod a: 8 units, 2 claimed, 1 of them also unhealthy, 1 draining: 5 free
        // pod b: 4 units, all claimed, 1 unhealthy: none free
        // pod c: 6 units, 1 unhealthy and draining: 5 free
        CatalogFigures figures = CatalogFigures.of(List.of(new CatalogFigures.PodCounts(8, 5, 2, 1, 1),
                new CatalogFigures.PodCounts(4, 0, 4, 1, 0), new CatalogFigures.PodCounts(6, 5, 0, 1, 1)));
        assertThat(figures).isEqualTo(new CatalogFigures(18, 10, 5, 6, 3, 2));
    }

    @Test
    void aPoolWithoutPodsHasNothing() {
        assertThat(CatalogFigures.of(List.of())).isEqualTo(CatalogFigures.EMPTY);
        assertThat(CatalogFigures.perPool(List.<String>of(), s -> s, s -> null)).isEmpty();
    }

    @Test
    void groupsPodsByPool() {
        record Pod(long unitType, CatalogFigures.PodCounts counts) {
        }
        Map<Long, CatalogFigures> figures = CatalogFigures.perPool(List.of(
                new Pod(7, new CatalogFigures.PodCounts(4, 4, 0, 0, 0)),
                new Pod(3, new CatalogFigures.PodCounts(2, 0, 2, 0, 0)),
                new Pod(7, new CatalogFigures.PodCounts(4, 1, 3, 0, 0))), Pod::unitType, Pod::counts);
        assertThat(figures.keySet()).containsExactly(7L, 3L);
        assertThat(figures.get(7L)).isEqualTo(new CatalogFigures(8, 5, 4, 3, 0, 0));
        assertThat(figures.get(3L)).isEqualTo(new CatalogFigures(2, 0, 0, 2, 0, 0));
    }

    @Test
    void rejectsImpossibleCounts() {
        assertThatThrownBy(() -> new CatalogFigures.PodCounts(4, 5, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CatalogFigures.PodCounts(4, 2, 3, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CatalogFigures.PodCounts(4, 1, 0, -1, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CatalogFigures(1, 0, 0, 0, 0, -1)).isInstanceOf(IllegalArgumentException.class);
    }

}
