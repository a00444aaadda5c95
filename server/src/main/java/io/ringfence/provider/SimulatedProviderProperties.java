package io.ringfence.provider;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The simulated platform.
 *
 * @param prepareUnit time to prepare one unit for a reservation
 * @param releaseUnit time to return one unit to the pool
 * @param serverBoot time from creating (or rebuilding) a server to {@code Running}
 * @param powerOperation time a stop or reboot takes
 * @param stateDir where the platform keeps its journal (default {@code <data dir>/simulated-platform});
 *     replicas of one deployment point at the same directory, as they would talk to the same platform
 */
@ConfigurationProperties("ringfence.provider.simulated")
public record SimulatedProviderProperties(Duration prepareUnit, Duration releaseUnit, Duration serverBoot,
                                          Duration powerOperation, Path stateDir) {
    public SimulatedProviderProperties {
        serverBoot = serverBoot == null ? Duration.ofSeconds(3) : serverBoot;
        powerOperation = powerOperation == null ? Duration.ofSeconds(2) : powerOperation;
        prepareUnit = prepareUnit == null ? Duration.ofMillis(400) : prepareUnit;
        releaseUnit = releaseUnit == null ? Duration.ofMillis(300) : releaseUnit;
    }
}
