package io.ringfence.storage;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param dataDir where Ringfence keeps its state when it runs with embedded defaults: the embedded
 *     PostgreSQL cluster and the token signing key ({@code RINGFENCE_DATA_DIR}, default {@code ./data})
 * @param durable whether the embedded PostgreSQL flushes to disk on commit. Always true for the service;
 *     tests turn it off because they throw their data away
 */
@ConfigurationProperties("ringfence.storage")
public record StorageProperties(Path dataDir, Boolean durable) {
    public StorageProperties {
        if (dataDir == null) {
            dataDir = Path.of("data");
        }
        if (durable == null) {
            durable = Boolean.TRUE;
        }
    }
}
