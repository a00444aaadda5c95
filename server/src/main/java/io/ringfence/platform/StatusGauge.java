package io.ringfence.platform;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A gauge of resources counted by {@code provisioning_status} and {@code health_status}. The owning feature gives
 * the query that yields one row (provisioning status, health, id) per resource, and refreshes it on its schedule.
 */
public final class StatusGauge {

    private final JdbcClient jdbc;
    private final MultiGauge gauge;
    private final String perResource;

    public StatusGauge(JdbcClient jdbc, MeterRegistry meters, String name, String description, String perResource) {
        this.jdbc = jdbc;
        this.gauge = MultiGauge.builder(name).description(description).register(meters);
        this.perResource = perResource;
    }

    public void refresh() {
        List<MultiGauge.Row<?>> rows = jdbc.sql("SELECT provisioning_status, health, count(*) FROM (" + perResource
                        + ") AS x(provisioning_status, health, id) GROUP BY provisioning_status, health")
                .query((rs, n) -> MultiGauge.Row.of(Tags.of("provisioning_status", rs.getString(1),
                        "health_status", rs.getString(2)), rs.getLong(3)))
                .list().stream().<MultiGauge.Row<?>>map(r -> r).toList();
        gauge.register(rows, true);
    }
}
