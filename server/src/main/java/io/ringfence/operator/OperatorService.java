package io.ringfence.operator;

import io.ringfence.audit.AuditLog;
import io.ringfence.audit.AuditTrail;
import io.ringfence.error.ApiException;
import io.ringfence.fleet.HostHealth;
import io.ringfence.identity.Caller;
import io.ringfence.provider.SimulatedBareMetalProvider;
import java.time.Instant;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The fleet as platform administrators run it: hosts and their health, draining, fault injection into the
 * simulated platform, and the audit trail. Every operation needs the platform-administrator role, checked here
 * first; every change is audited once, with its own verb.
 */
@Service
public class OperatorService {

    private final OperatorStore inventory;
    private final HostHealth health;
    private final ObjectProvider<SimulatedBareMetalProvider> simulated;
    private final AuditLog auditLog;
    private final AuditTrail audit;
    private final TransactionTemplate transactions;

    public OperatorService(OperatorStore inventory, HostHealth health,
                           ObjectProvider<SimulatedBareMetalProvider> simulated, AuditLog auditLog,
                           AuditTrail audit, TransactionTemplate transactions) {
        this.inventory = inventory;
        this.health = health;
        this.simulated = simulated;
        this.auditLog = auditLog;
        this.audit = audit;
        this.transactions = transactions;
    }

    /** The fault kinds an operator can inject. */
    public enum Fault {
        PREPARE_FAILURE("prepareFailure"), HOST_FAILURE("hostFailure"), HOST_RECOVERY("hostRecovery");

        private final String value;

        Fault(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }
    }

    public List<OperatorStore.HostView> hosts(Caller caller, String regionId, String domainId, Boolean healthy) {
        operator(caller);
        return inventory.hosts(regionId, domainId, null, healthy);
    }

    public List<OperatorStore.HostView> markHost(Caller caller, String infrastructureRef, boolean healthy,
                                                 String reason) {
        operator(caller);
        audit.about("host", infrastructureRef, null, null);
        transactions.executeWithoutResult(status -> {
            if (health.markByOperator(List.of(infrastructureRef), !healthy, faultReason(reason)).isEmpty()) {
                throw ApiException.notFound();
            }
            audit.action(healthy ? "mark-healthy" : "mark-faulty", reason);
            audit.changed(200);
        });
        return inventory.hosts(null, null, infrastructureRef, null);
    }

    public List<OperatorStore.HostView> markDomain(Caller caller, String domainId, boolean healthy, String reason) {
        operator(caller);
        audit.about("domain", domainId, null, null);
        List<String> hosts = inventory.hostsOfDomain(domainId);
        if (hosts.isEmpty()) {
            throw ApiException.notFound();
        }
        transactions.executeWithoutResult(status -> {
            health.markByOperator(hosts, !healthy, faultReason(reason));
            audit.action(healthy ? "mark-healthy" : "mark-faulty", reason);
            audit.changed(200);
        });
        return inventory.hosts(null, domainId, null, null);
    }

    public List<OperatorStore.HostView> drain(Caller caller, String domainId, boolean draining) {
        operator(caller);
        audit.about("domain", domainId, null, null);
        transactions.executeWithoutResult(status -> {
            if (!inventory.setDraining(domainId, draining)) {
                throw ApiException.notFound();
            }
            audit.action(draining ? "drain" : "undrain", null);
            audit.changed(200);
        });
        return inventory.hosts(null, domainId, null, null);
    }

    public void injectFault(Caller caller, Fault fault, String domainId, String infrastructureRef, Integer count,
                            String reason) {
        operator(caller);
        SimulatedBareMetalProvider platform = simulated.getIfAvailable();
        if (platform == null) {
            throw ApiException.conflict("faults can be injected into the simulated platform only");
        }
        if (fault == Fault.PREPARE_FAILURE) {
            if (domainId == null || inventory.hostsOfDomain(domainId).isEmpty()) {
                throw ApiException.badRequest("request body invalid: prepareFailure needs the domainId of a known domain");
            }
            audit.about("domain", domainId, null, null);
            platform.failPrepares(domainId, count == null ? 1 : count);
            audit.action("inject-prepare-failure", null);
            audit.changed(202);
            return;
        }
        if (infrastructureRef == null || inventory.hosts(null, null, infrastructureRef, null).isEmpty()) {
            throw ApiException.badRequest("request body invalid: " + fault.value()
                    + " needs the infrastructureRef of a known host");
        }
        audit.about("host", infrastructureRef, null, null);
        platform.setHostFailed(infrastructureRef, fault == Fault.HOST_FAILURE
                ? (reason == null ? "simulated hardware failure" : reason) : null);
        audit.action("inject-" + fault.value(), reason);
        audit.changed(202);
    }

    public List<AuditLog.AuditEvent> audit(Caller caller, Instant since, Instant until, String organizationId,
                                           String actor, Integer limit) {
        operator(caller);
        return auditLog.query(since, until, organizationId, actor, limit == null ? 100 : limit);
    }

    private static void operator(Caller caller) {
        if (!caller.platformAdministrator()) {
            throw ApiException.forbidden();
        }
    }

    private static String faultReason(String reason) {
        return reason == null ? "marked faulty by an operator" : reason;
    }
}
