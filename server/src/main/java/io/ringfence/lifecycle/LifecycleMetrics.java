package io.ringfence.lifecycle;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The reconciler's queue ({@code ringfence.reconciler.queue.depth}, {@code ...queue.oldest.age.seconds}) and the
 * resources by status ({@code ringfence.reservations} and {@code ringfence.placements}, tags
 * {@code provisioning_status} and {@code health_status}), refreshed every 15 s.
 */
@Component
public class LifecycleMetrics {

    private final JdbcClient jdbc;
    private final MeterRegistry meters;
    private final MultiGauge reservations;
    private final MultiGauge placements;

    public LifecycleMetrics(JdbcClient jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.meters = meters;
        this.reservations = MultiGauge.builder("ringfence.reservations").description("Reservations by status")
                .register(meters);
        this.placements = MultiGauge.builder("ringfence.placements").description("Placements by status")
                .register(meters);
    }

    @EventListener(ApplicationReadyEvent.class)
    public void register() {
        Gauge.builder("ringfence.reconciler.queue.depth", () -> jdbc.sql(
                        "SELECT count(*) FROM work_item WHERE not_before <= now()").query(Long.class).single())
                .description("Work items due now").register(meters);
        Gauge.builder("ringfence.reconciler.queue.oldest.age.seconds", () -> jdbc.sql("""
                        SELECT COALESCE(extract(epoch FROM now() - min(not_before)), 0) FROM work_item
                        WHERE not_before <= now()""").query(Double.class).single())
                .description("How long the oldest due work item has waited").register(meters);
        refresh();
    }

    @Scheduled(fixedDelayString = "${ringfence.metrics.status-refresh:PT15S}", initialDelayString = "PT15S")
    public void refresh() {
        reservations.register(rows("""
                SELECT r.provisioning_status,
                       CASE WHEN COALESCE(sum(d.unhealthy_hosts), 0) = 0 THEN 'healthy'
                            WHEN sum(d.unhealthy_hosts) >= max(r.claimed_unit_count * t.hosts_per_unit) THEN 'error'
                            ELSE 'degraded' END AS health,
                       r.id
                FROM reservation r JOIN unit_type t ON t.id = r.unit_type_id
                LEFT JOIN unit_claim c ON c.reservation_id = r.id LEFT JOIN nvlink_domain d ON d.id = c.domain_id
                GROUP BY r.provisioning_status, r.id"""), true);
        placements.register(rows("""
                SELECT p.provisioning_status,
                       CASE WHEN bool_or(s.power_state = 'Error' OR NOT h.healthy) THEN 'degraded' ELSE 'healthy' END,
                       p.id
                FROM placement p LEFT JOIN placement_server s ON s.placement_id = p.id
                LEFT JOIN host h ON h.infrastructure_ref = s.infrastructure_ref
                GROUP BY p.provisioning_status, p.id"""), true);
    }

    private List<MultiGauge.Row<?>> rows(String perResource) {
        return jdbc.sql("SELECT provisioning_status, health, count(*) FROM (" + perResource
                        + ") AS x(provisioning_status, health, id) GROUP BY provisioning_status, health")
                .query((rs, n) -> MultiGauge.Row.of(Tags.of("provisioning_status", rs.getString(1),
                        "health_status", rs.getString(2)), rs.getLong(3)))
                .list().stream().<MultiGauge.Row<?>>map(r -> r).toList();
    }
}
