package io.ringfence.fleet;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param manifest where the fleet manifest is read from (a Spring resource location: {@code classpath:},
 *     {@code file:} or a plain path); {@code RINGFENCE_FLEET_MANIFEST} sets it
 */
@ConfigurationProperties("ringfence.fleet")
public record FleetProperties(String manifest) {
    public FleetProperties {
        if (manifest == null || manifest.isBlank()) {
            manifest = "classpath:fleet/demo-fleet.yaml";
        }
    }
}
