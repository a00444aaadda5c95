package io.ringfence.provider;

import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * The default provider: behaves like a bare-metal platform that takes a while for each operation, without
 * any hardware. Real drivers implement {@link BareMetalProvider} and replace this bean.
 */
@Component
public class SimulatedBareMetalProvider implements BareMetalProvider {

    private final SimulatedProviderProperties properties;

    public SimulatedBareMetalProvider(SimulatedProviderProperties properties) {
        this.properties = properties;
    }

    @Override
    public void prepareUnit(UnitRef unit) {
        pause(properties.prepareUnit());
    }

    @Override
    public void releaseUnit(UnitRef unit) {
        pause(properties.releaseUnit());
    }

    private static void pause(Duration duration) {
        if (duration.isZero() || duration.isNegative()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException("interrupted while waiting for the simulated platform", true);
        }
    }
}
