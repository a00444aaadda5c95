package io.ringfence.fleet;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** @param pollInterval how often the health monitor reads host health from the platform */
@ConfigurationProperties("ringfence.health")
public record HealthProperties(Duration pollInterval) {
    public HealthProperties {
        pollInterval = pollInterval == null ? Duration.ofSeconds(5) : pollInterval;
    }
}
