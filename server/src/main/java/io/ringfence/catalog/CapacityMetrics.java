package io.ringfence.catalog;

import io.ringfence.fleet.FleetStore;
import io.ringfence.fleet.UnitType;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.ringfence.capacity.CatalogFigures;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * "How much capacity is left, and where": per region, accelerator and unit, the gauge
 * {@code ringfence.capacity.units} with {@code state} = total, available, claimed, unhealthy, draining, and
 * {@code ringfence.capacity.largest.contiguous.units}. Figures come from one query, cached briefly so a scrape
 * costs one database round trip; they are the catalog's figures.
 */
@Component
public class CapacityMetrics {

    private final FleetStore fleet;
    private final CatalogService catalog;
    private final MeterRegistry meters;
    private final Duration refresh;
    private final Set<Long> registered = new HashSet<>();
    private Map<Long, CatalogFigures> snapshot = Map.of();
    private long snapshotAt;

    public CapacityMetrics(FleetStore fleet, CatalogService catalog, MeterRegistry meters,
                           @Value("${ringfence.metrics.capacity-refresh:2s}") Duration refresh) {
        this.fleet = fleet;
        this.catalog = catalog;
        this.meters = meters;
        this.refresh = refresh;
    }

    @EventListener(ApplicationReadyEvent.class)
    public synchronized void register() {
        for (UnitType type : fleet.unitTypes()) {
            if (!registered.add(type.id())) {
                continue;
            }
            Tags tags = Tags.of("region", type.regionId(), "accelerator", type.accelerator(), "unit", type.unit());
            gauge(type.id(), tags.and("state", "total"), CatalogFigures::totalCount);
            gauge(type.id(), tags.and("state", "available"), CatalogFigures::availableUnitCount);
            gauge(type.id(), tags.and("state", "claimed"), CatalogFigures::claimedUnitCount);
            gauge(type.id(), tags.and("state", "unhealthy"), CatalogFigures::unhealthyUnitCount);
            gauge(type.id(), tags.and("state", "draining"), CatalogFigures::drainingUnitCount);
            Gauge.builder("ringfence.capacity.largest.contiguous.units", () -> figure(type.id(), CatalogFigures::largestContiguousUnitCount))
                    .description("Largest number of free units in one pod: the largest reservation accepted now")
                    .tags(tags).register(meters);
        }
    }

    private void gauge(long unitType, Tags tags, ToIntFunction<CatalogFigures> figure) {
        Gauge.builder("ringfence.capacity.units", () -> figure(unitType, figure))
                .description("Reservation units by state").tags(tags).register(meters);
    }

    private synchronized int figure(long unitType, ToIntFunction<CatalogFigures> figure) {
        if (System.nanoTime() - snapshotAt > refresh.toNanos() || snapshot.isEmpty()) {
            Map<Long, CatalogFigures> next = new HashMap<>();
            catalog.offerings(null, null, null).forEach(o -> next.put(o.unitType().id(), o.figures()));
            snapshot = next;
            snapshotAt = System.nanoTime();
        }
        CatalogFigures figures = snapshot.get(unitType);
        return figures == null ? 0 : figure.applyAsInt(figures);
    }
}
