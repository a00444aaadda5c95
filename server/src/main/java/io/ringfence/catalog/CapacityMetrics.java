package io.ringfence.catalog;

import io.ringfence.fleet.FleetRepository;
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

    private final FleetRepository fleet;
    private final MeterRegistry meters;
    private final Duration refresh;
    private final Set<Long> registered = new HashSet<>();
    private Map<Long, Figures> snapshot = Map.of();
    private long snapshotAt;

    public CapacityMetrics(FleetRepository fleet, MeterRegistry meters,
                           @Value("${ringfence.metrics.capacity-refresh:2s}") Duration refresh) {
        this.fleet = fleet;
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
            gauge(type.id(), tags.and("state", "total"), Figures::total);
            gauge(type.id(), tags.and("state", "available"), Figures::available);
            gauge(type.id(), tags.and("state", "claimed"), Figures::claimed);
            gauge(type.id(), tags.and("state", "unhealthy"), Figures::unhealthy);
            gauge(type.id(), tags.and("state", "draining"), Figures::draining);
            Gauge.builder("ringfence.capacity.largest.contiguous.units", () -> figure(type.id(), Figures::largest))
                    .description("Largest number of free units in one pod: the largest reservation accepted now")
                    .tags(tags).register(meters);
        }
    }

    private void gauge(long unitType, Tags tags, ToIntFunction<Figures> figure) {
        Gauge.builder("ringfence.capacity.units", () -> figure(unitType, figure))
                .description("Reservation units by state").tags(tags).register(meters);
    }

    private synchronized int figure(long unitType, ToIntFunction<Figures> figure) {
        if (System.nanoTime() - snapshotAt > refresh.toNanos() || snapshot.isEmpty()) {
            Map<Long, List<FleetRepository.PodCapacity>> pods = new HashMap<>();
            for (FleetRepository.PodCapacity pod : fleet.podCapacities()) {
                pods.computeIfAbsent(pod.unitTypeId(), k -> new java.util.ArrayList<>()).add(pod);
            }
            Map<Long, Figures> next = new HashMap<>();
            pods.forEach((type, list) -> {
                CatalogFigures catalog = CatalogFigures.of(list.stream()
                        .map(p -> new CatalogFigures.PodCounts(p.totalUnits(), p.freeUnits())).toList());
                next.put(type, new Figures(catalog.totalCount(), catalog.availableUnitCount(),
                        list.stream().mapToInt(FleetRepository.PodCapacity::claimedUnits).sum(),
                        list.stream().mapToInt(FleetRepository.PodCapacity::unhealthyUnits).sum(),
                        list.stream().mapToInt(FleetRepository.PodCapacity::drainingUnits).sum(),
                        catalog.largestContiguousUnitCount()));
            });
            snapshot = next;
            snapshotAt = System.nanoTime();
        }
        Figures figures = snapshot.get(unitType);
        return figures == null ? 0 : figure.applyAsInt(figures);
    }

    private record Figures(int total, int available, int claimed, int unhealthy, int draining, int largest) {
    }
}
