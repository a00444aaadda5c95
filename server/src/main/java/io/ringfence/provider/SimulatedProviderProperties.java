package io.ringfence.provider;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The simulated platform.
 *
 * @param prepareUnit time to prepare one unit for a reservation
 * @param releaseUnit time to return one unit to the pool
 * @param serverBoot time from creating (or rebuilding) a server to {@code Running}
 * @param powerOperation time a stop, reboot or deletion takes
 * @param maxInFlight how many operations the platform takes on at once in a region (default 256)
 * @param maxInFlightPerRegion the same for particular regions, by region ID
 * @param stateDir where the platform keeps its journal (default {@code <data dir>/simulated-platform});
 *     replicas of one deployment point at the same directory, as they would talk to the same platform
 */
@ConfigurationProperties("ringfence.provider.simulated")
public record SimulatedProviderProperties(Duration prepareUnit, Duration releaseUnit, Duration serverBoot,
                                          Duration powerOperation, Integer maxInFlight,
                                          Map<String, Integer> maxInFlightPerRegion, Path stateDir) {
    public SimulatedProviderProperties {
        serverBoot = serverBoot == null ? Duration.ofSeconds(3) : serverBoot;
        powerOperation = powerOperation == null ? Duration.ofSeconds(2) : powerOperation;
        prepareUnit = prepareUnit == null ? Duration.ofMillis(400) : prepareUnit;
        releaseUnit = releaseUnit == null ? Duration.ofMillis(300) : releaseUnit;
        maxInFlight = maxInFlight == null ? 256 : maxInFlight;
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("ringfence.provider.simulated.max-in-flight must be >= 1");
        }
        maxInFlightPerRegion = maxInFlightPerRegion == null ? Map.of() : Map.copyOf(maxInFlightPerRegion);
    }

    /** How long one operation of {@code kind} takes from its start. */
    public Duration latency(OperationKind kind) {
        return switch (kind) {
            case PREPARE_UNIT -> prepareUnit;
            case RELEASE_UNIT -> releaseUnit;
            case CREATE_SERVER, REIMAGE_SERVER -> serverBoot;
            case POWER_SERVER, DELETE_SERVER -> powerOperation;
        };
    }

    public int maxInFlight(String regionId) {
        return maxInFlightPerRegion.getOrDefault(regionId, maxInFlight);
    }
}
