package io.ringfence.work;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The reconciler's queue: {@code ringfence.reconciler.queue.depth} and {@code ...queue.oldest.age.seconds}. */
@Component
public class WorkMetrics {

    private final JdbcClient jdbc;
    private final MeterRegistry meters;

    public WorkMetrics(JdbcClient jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.meters = meters;
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
    }
}
