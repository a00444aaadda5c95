package io.ringfence.reservation;

import io.micrometer.core.instrument.MeterRegistry;
import io.ringfence.platform.StatusGauge;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Reservations by status ({@code ringfence.reservations}), refreshed every 15 s, and admission outcomes
 * ({@code ringfence.admission}) and allocation conflicts ({@code ringfence.admission.conflicts}: a create's
 * chosen units were held by the time it wrote them, so it allocated again), counted from the service's events.
 */
@Component
public class ReservationMetrics {

    private final StatusGauge gauge;
    private final MeterRegistry meters;

    public ReservationMetrics(JdbcClient jdbc, MeterRegistry meters) {
        this.meters = meters;
        this.gauge = new StatusGauge(jdbc, meters, "ringfence.reservations", "Reservations by status", """
                SELECT r.provisioning_status,
                       CASE WHEN COALESCE(sum(d.unhealthy_hosts), 0) = 0 THEN 'healthy'
                            WHEN sum(d.unhealthy_hosts) >= max(r.claimed_unit_count * t.hosts_per_unit) THEN 'error'
                            ELSE 'degraded' END AS health,
                       r.id
                FROM reservation r JOIN unit_type t ON t.id = r.unit_type_id
                LEFT JOIN unit_claim c ON c.reservation_id = r.id LEFT JOIN nvlink_domain d ON d.id = c.domain_id
                GROUP BY r.provisioning_status, r.id""");
    }

    /** Admission outcomes per region, and how many units refused requests asked for. */
    @EventListener
    public void admitted(ReservationService.Admission admission) {
        meters.counter("ringfence.admission", "outcome", admission.accepted() ? "accepted" : "insufficient_capacity",
                "region", admission.regionId()).increment();
        if (!admission.accepted()) {
            meters.summary("ringfence.admission.refused.units", "region", admission.regionId())
                    .record(admission.units());
        }
    }

    @EventListener
    public void conflicted(ReservationService.AllocationConflict conflict) {
        meters.counter("ringfence.admission.conflicts", "region", conflict.regionId()).increment();
    }

    @EventListener(ApplicationReadyEvent.class)
    @Scheduled(fixedDelayString = "${ringfence.metrics.status-refresh:PT15S}", initialDelayString = "PT15S")
    public void refresh() {
        gauge.refresh();
    }
}
