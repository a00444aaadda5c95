package io.ringfence.provider;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Primary;
import org.springframework.stereotype.Component;

/**
 * The provider everything else talks to: the platform's driver (the bean named {@value #PLATFORM}; the
 * simulated platform by default) with the latency and failures of every call measured as
 * {@code ringfence.provider.operations} (tags {@code operation}, {@code outcome}). Starts are tagged with the
 * kind of work they start.
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
    public void start(PlatformOperation operation) {
        measure("start-" + operation.key().kind().value(), () -> {
            platform.start(operation);
            return null;
        });
    }

    /** Timed as one call under {@code start-all}; each operation is still counted under {@code start-<kind>}. */
    @Override
    public void startAll(List<PlatformOperation> operations) {
        measure("start-all", () -> {
            platform.startAll(operations);
            return null;
        });
        operations.forEach(op -> meters.counter("ringfence.provider.started", "kind", op.key().kind().value())
                .increment());
    }

    @Override
    public Map<OperationKey, OperationState> states(Collection<OperationKey> keys) {
        return measure("states", () -> platform.states(keys));
    }

    @Override
    public int maxInFlight(String regionId) {
        return platform.maxInFlight(regionId);
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
    public Optional<ServerState> server(String serverId) {
        return measure("server", () -> platform.server(serverId));
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
                    .description("Bare-metal provider calls")
                    .tag("operation", operation).tag("outcome", outcome)
                    .register(meters));
        }
    }
}
