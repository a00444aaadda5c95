package io.ringfence.provider;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How long the simulated platform takes, per operation.
 *
 * @param prepareUnit time to prepare one unit for a reservation
 * @param releaseUnit time to return one unit to the pool
 */
@ConfigurationProperties("ringfence.provider.simulated")
public record SimulatedProviderProperties(Duration prepareUnit, Duration releaseUnit) {
    public SimulatedProviderProperties {
        prepareUnit = prepareUnit == null ? Duration.ofMillis(400) : prepareUnit;
        releaseUnit = releaseUnit == null ? Duration.ofMillis(300) : releaseUnit;
    }
}
