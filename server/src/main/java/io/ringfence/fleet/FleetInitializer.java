package io.ringfence.fleet;

import java.io.IOException;
import org.springframework.beans.factory.ObjectProvider;
import io.ringfence.provider.Network;
import io.ringfence.provider.SimulatedBareMetalProvider;
import java.io.InputStream;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;

/**
 * Loads the fleet manifest once the schema is migrated and before the web server takes requests, and reports
 * the fleet in the service's health: {@code /actuator/health} is UP only with a loaded fleet.
 */
@Component("fleet")
public class FleetInitializer implements SmartInitializingSingleton, HealthIndicator {

    private final FleetLoader loader;
    private final ResourceLoader resources;
    private final FleetProperties properties;
    private final ObjectProvider<SimulatedBareMetalProvider> provider;
    private volatile FleetLoader.LoadResult loaded;

    public FleetInitializer(FleetLoader loader, ResourceLoader resources, FleetProperties properties,
                            ObjectProvider<SimulatedBareMetalProvider> provider) {
        this.provider = provider;
        this.loader = loader;
        this.resources = resources;
        this.properties = properties;
    }

    @Override
    public void afterSingletonsInstantiated() {
        String location = properties.manifest();
        if (!location.contains(":")) {
            location = "file:" + location;
        }
        Resource resource = resources.getResource(location);
        FleetManifest manifest;
        try (InputStream in = resource.getInputStream()) {
            manifest = FleetManifestParser.parse(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the fleet manifest " + properties.manifest() + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the fleet manifest " + properties.manifest() + " is invalid: " + e.getMessage(), e);
        }
        loaded = loader.apply(manifest);
        SimulatedBareMetalProvider simulated = provider.getIfAvailable();
        if (simulated != null) {
            simulated.defineNetworks(manifest.regions().stream().flatMap(region -> region.networks().stream()
                    .map(n -> new Network(n.id(), region.id(), n.organizationId(), n.projectId()))).toList());
        }
    }

    @Override
    public Health health() {
        FleetLoader.LoadResult result = loaded;
        if (result == null) {
            return Health.down().withDetail("fleet", "not loaded").build();
        }
        return Health.up().withDetail("regions", result.regions()).withDetail("units", result.domains())
                .withDetail("hosts", result.hosts()).build();
    }
}
