package io.ringfence.placement;

import io.micrometer.core.instrument.MeterRegistry;
import io.ringfence.platform.StatusGauge;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Placements by status ({@code ringfence.placements}), refreshed every 15 s. */
@Component
public class PlacementMetrics {

    private final StatusGauge gauge;

    public PlacementMetrics(JdbcClient jdbc, MeterRegistry meters) {
        this.gauge = new StatusGauge(jdbc, meters, "ringfence.placements", "Placements by status", """
                SELECT p.provisioning_status,
                       CASE WHEN bool_or(s.power_state = 'Error' OR NOT h.healthy) THEN 'degraded' ELSE 'healthy' END,
                       p.id
                FROM placement p LEFT JOIN placement_server s ON s.placement_id = p.id
                LEFT JOIN host h ON h.infrastructure_ref = s.infrastructure_ref
                GROUP BY p.provisioning_status, p.id""");
    }

    @EventListener(ApplicationReadyEvent.class)
    @Scheduled(fixedDelayString = "${ringfence.metrics.status-refresh:PT15S}", initialDelayString = "PT15S")
    public void refresh() {
        gauge.refresh();
    }
}
