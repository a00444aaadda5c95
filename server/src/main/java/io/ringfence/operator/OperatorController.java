package io.ringfence.operator;

import io.ringfence.audit.AuditLog;
import io.ringfence.contract.api.OperatorApi;
import io.ringfence.contract.model.AuditEventV2;
import io.ringfence.contract.model.OperatorDrainUpdateV2;
import io.ringfence.contract.model.OperatorFaultKindV2;
import io.ringfence.contract.model.OperatorFaultV2;
import io.ringfence.contract.model.OperatorHealthFilterV2;
import io.ringfence.contract.model.OperatorHealthUpdateV2;
import io.ringfence.contract.model.OperatorHostV2;
import io.ringfence.identity.Caller;
import io.ringfence.identity.CurrentCaller;
import io.ringfence.fleet.HostHealth;
import org.springframework.beans.factory.ObjectProvider;
import io.ringfence.provider.SimulatedBareMetalProvider;
import io.ringfence.error.ApiException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v2/operator/...}: the fleet as platform administrators run it. Hosts and their health, draining,
 * fault injection into the simulated platform, and the audit trail. Every call needs the
 * platform-administrator role; every change is audited.
 */
@RestController
public class OperatorController implements OperatorApi {

    private final OperatorStore inventory;
    private final HostHealth health;
    private final ObjectProvider<SimulatedBareMetalProvider> provider;
    private final AuditLog audit;
    private final CurrentCaller caller;

    public OperatorController(OperatorStore inventory, HostHealth health, ObjectProvider<SimulatedBareMetalProvider> provider,
                              AuditLog audit, CurrentCaller caller) {
        this.inventory = inventory;
        this.health = health;
        this.provider = provider;
        this.audit = audit;
        this.caller = caller;
    }

    @Override
    public ResponseEntity<List<OperatorHostV2>> listOperatorHosts(String regionID, String domainID,
                                                                  OperatorHealthFilterV2 healthFilter) {
        operator();
        Boolean healthy = healthFilter == null ? null : healthFilter == OperatorHealthFilterV2.HEALTHY;
        return ResponseEntity.ok(inventory.hosts(regionID, domainID, null, healthy));
    }

    @Override
    public ResponseEntity<List<OperatorHostV2>> setOperatorHostHealth(String infrastructureRef,
                                                                      OperatorHealthUpdateV2 update) {
        Caller operator = operator();
        List<String> changed = health.markByOperator(List.of(infrastructureRef), !update.getHealthy(),
                reason(update));
        if (changed.isEmpty()) {
            throw ApiException.notFound();
        }
        record(operator, "host", infrastructureRef, update.getHealthy() ? "mark-healthy" : "mark-faulty", update.getReason());
        return ResponseEntity.ok(inventory.hosts(null, null, infrastructureRef, null));
    }

    @Override
    public ResponseEntity<List<OperatorHostV2>> setOperatorDomainHealth(String domainID, OperatorHealthUpdateV2 update) {
        Caller operator = operator();
        List<String> hosts = inventory.hostsOfDomain(domainID);
        if (hosts.isEmpty()) {
            throw ApiException.notFound();
        }
        health.markByOperator(hosts, !update.getHealthy(), reason(update));
        record(operator, "domain", domainID, update.getHealthy() ? "mark-healthy" : "mark-faulty", update.getReason());
        return ResponseEntity.ok(inventory.hosts(null, domainID, null, null));
    }

    @Override
    public ResponseEntity<List<OperatorHostV2>> setOperatorDomainDrain(String domainID, OperatorDrainUpdateV2 update) {
        Caller operator = operator();
        if (!inventory.setDraining(domainID, update.getDraining())) {
            throw ApiException.notFound();
        }
        record(operator, "domain", domainID, update.getDraining() ? "drain" : "undrain", null);
        return ResponseEntity.ok(inventory.hosts(null, domainID, null, null));
    }

    @Override
    public ResponseEntity<Void> injectOperatorFault(OperatorFaultV2 fault) {
        Caller operator = operator();
        SimulatedBareMetalProvider simulated = provider.getIfAvailable();
        if (simulated == null) {
            throw ApiException.conflict("faults can be injected into the simulated platform only");
        }
        OperatorFaultKindV2 kind = fault.getKind();
        if (kind == OperatorFaultKindV2.PREPARE_FAILURE) {
            if (fault.getDomainId() == null || inventory.hostsOfDomain(fault.getDomainId()).isEmpty()) {
                throw ApiException.badRequest("request body invalid: prepareFailure needs the domainId of a known domain");
            }
            simulated.failPrepares(fault.getDomainId(), fault.getCount() == null ? 1 : fault.getCount());
            record(operator, "domain", fault.getDomainId(), "inject-prepare-failure", null);
        } else {
            if (fault.getInfrastructureRef() == null
                    || inventory.hosts(null, null, fault.getInfrastructureRef(), null).isEmpty()) {
                throw ApiException.badRequest("request body invalid: " + kind.getValue()
                        + " needs the infrastructureRef of a known host");
            }
            simulated.setHostFailed(fault.getInfrastructureRef(), kind == OperatorFaultKindV2.HOST_FAILURE
                    ? (fault.getReason() == null ? "simulated hardware failure" : fault.getReason()) : null);
            record(operator, "host", fault.getInfrastructureRef(), "inject-" + kind.getValue(), fault.getReason());
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    @Override
    public ResponseEntity<List<AuditEventV2>> listOperatorAuditEvents(OffsetDateTime since, OffsetDateTime until,
                                                                      String organizationID, String actor,
                                                                      Integer limit) {
        operator();
        return ResponseEntity.ok(audit.query(since == null ? null : since.toInstant(),
                        until == null ? null : until.toInstant(), organizationID, actor, limit == null ? 100 : limit)
                .stream()
                .map(e -> new AuditEventV2()
                        .occurredAt(e.occurredAt().atOffset(ZoneOffset.UTC))
                        .actor(e.actor()).clientId(e.clientId()).organizationId(e.organizationId())
                        .projectId(e.projectId()).resourceKind(e.resourceKind()).resourceId(e.resourceId())
                        .verb(e.verb()).resultStatus(e.resultStatus()).traceId(e.traceId()).detail(e.detail()))
                .toList());
    }

    private Caller operator() {
        Caller current = caller.get();
        if (!current.platformAdministrator()) {
            throw ApiException.forbidden();
        }
        return current;
    }

    private void record(Caller operator, String kind, String id, String verb, String detail) {
        audit.record(new AuditLog.AuditEvent(null, operator.subject(), operator.subject(), null, null, kind, id, verb,
                200, org.slf4j.MDC.get("trace_id"), detail));
    }

    private static String reason(OperatorHealthUpdateV2 update) {
        return update.getReason() == null ? "marked faulty by an operator" : update.getReason();
    }
}
