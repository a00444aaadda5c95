package io.ringfence.fleet;

import io.ringfence.provider.BareMetalProvider;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Reads host health from the platform at a fixed interval and records it; then gives reservations that still
 * hold failed hosts another chance to heal (a spare may have come free since).
 */
@Component
public class HealthMonitor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);

    private final BareMetalProvider provider;
    private final HostHealth hosts;
    private final HealthProperties properties;
    private ScheduledExecutorService scheduler;

    public HealthMonitor(BareMetalProvider provider, HostHealth hosts, HealthProperties properties) {
        this.provider = provider;
        this.hosts = hosts;
        this.properties = properties;
    }

    /** One round: public so tests and operators can force it. */
    public void poll() {
        int changed = hosts.applyPlatformReport(provider.failedHosts());
        if (changed > 0) {
            log.info("Host health changed on {} hosts", changed);
        }
        hosts.wakeDegraded();
    }

    @Override
    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "health-monitor");
            thread.setDaemon(true);
            return thread;
        });
        long interval = properties.pollInterval().toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                poll();
            } catch (RuntimeException e) {
                log.warn("Health poll failed; trying again in {} ms", interval, e);
            }
        }, interval, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}
