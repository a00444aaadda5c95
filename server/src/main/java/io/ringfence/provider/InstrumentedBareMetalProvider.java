package io.ringfence.provider;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Primary;
import org.springframework.stereotype.Component;

/**
 * The provider everything else talks to: the platform's driver (the bean named {@value #PLATFORM}; the
 * simulated platform by default) with the latency and failures of every operation measured as
 * {@code ringfence.provider.operations} (tags {@code operation}, {@code outcome}).
 */
@Primary
@Component
public class InstrumentedBareMetalProvider implements BareMetalProvider {

    /** Name of the bean that drives the real (or simulated) platform. */
    public static final String PLATFORM = "platformProvider";

    private final BareMetalProvider platform;
    private final MeterRegistry meters;

    public InstrumentedBareMetalProvider(@Qualifier(PLATFORM) BareMetalProvider platform, MeterRegistry meters) {
        this.platform = platform;
        this.meters = meters;
    }

    @Override
    public void prepareUnit(UnitRef unit, String reservationId) {
        measure("prepare-unit", () -> {
            platform.prepareUnit(unit, reservationId);
            return null;
        });
    }

    @Override
    public void releaseUnit(UnitRef unit, String reservationId) {
        measure("release-unit", () -> {
            platform.releaseUnit(unit, reservationId);
            return null;
        });
    }

    @Override
    public Map<String, String> failedHosts() {
        return measure("failed-hosts", platform::failedHosts);
    }

    @Override
    public Optional<Network> network(String regionId, String networkId) {
        return measure("network", () -> platform.network(regionId, networkId));
    }

    @Override
    public void createServer(ServerRequest request) {
        measure("create-server", () -> {
            platform.createServer(request);
            return null;
        });
    }

    @Override
    public Optional<ServerState> server(String serverId) {
        return measure("server", () -> platform.server(serverId));
    }

    @Override
    public void deleteServer(String serverId) {
        measure("delete-server", () -> {
            platform.deleteServer(serverId);
            return null;
        });
    }

    @Override
    public void power(String serverId, PowerOperation operation) {
        measure("power", () -> {
            platform.power(serverId, operation);
            return null;
        });
    }

    @Override
    public void reimage(String serverId, String imageId) {
        measure("reimage", () -> {
            platform.reimage(serverId, imageId);
            return null;
        });
    }

    private <T> T measure(String operation, Supplier<T> call) {
        Timer.Sample sample = Timer.start(meters);
        String outcome = "success";
        try {
            return call.get();
        } catch (RuntimeException e) {
            outcome = "failure";
            throw e;
        } finally {
            sample.stop(Timer.builder("ringfence.provider.operations")
                    .description("Bare-metal provider operations")
                    .tag("operation", operation).tag("outcome", outcome)
                    .register(meters));
        }
    }
}
