package io.ringfence.operator;

import io.ringfence.contract.api.OperatorApi;
import io.ringfence.contract.model.AuditEventV2;
import io.ringfence.contract.model.OperatorDrainUpdateV2;
import io.ringfence.contract.model.OperatorFaultV2;
import io.ringfence.contract.model.OperatorHealthFilterV2;
import io.ringfence.contract.model.OperatorHealthUpdateV2;
import io.ringfence.contract.model.OperatorHostV2;
import io.ringfence.identity.CurrentCaller;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v2/operator/...}: thin; the service checks the operator role and acts, the conversion shapes. */
@RestController
public class OperatorController implements OperatorApi {

    private final OperatorService operator;
    private final CurrentCaller caller;

    public OperatorController(OperatorService operator, CurrentCaller caller) {
        this.operator = operator;
        this.caller = caller;
    }

    @Override
    public ResponseEntity<List<OperatorHostV2>> listOperatorHosts(String regionID, String domainID,
                                                                  OperatorHealthFilterV2 healthFilter) {
        Boolean healthy = healthFilter == null ? null : healthFilter == OperatorHealthFilterV2.HEALTHY;
        return hosts(operator.hosts(caller.get(), regionID, domainID, healthy));
    }

    @Override
    public ResponseEntity<List<OperatorHostV2>> setOperatorHostHealth(String infrastructureRef,
                                                                      OperatorHealthUpdateV2 update) {
        return hosts(operator.markHost(caller.get(), infrastructureRef, update.getHealthy(), update.getReason()));
    }

    @Override
    public ResponseEntity<List<OperatorHostV2>> setOperatorDomainHealth(String domainID, OperatorHealthUpdateV2 update) {
        return hosts(operator.markDomain(caller.get(), domainID, update.getHealthy(), update.getReason()));
    }

    @Override
    public ResponseEntity<List<OperatorHostV2>> setOperatorDomainDrain(String domainID, OperatorDrainUpdateV2 update) {
        return hosts(operator.drain(caller.get(), domainID, update.getDraining()));
    }

    @Override
    public ResponseEntity<Void> injectOperatorFault(OperatorFaultV2 fault) {
        operator.injectFault(caller.get(), OperatorConversion.fault(fault.getKind()), fault.getDomainId(),
                fault.getInfrastructureRef(), fault.getCount(), fault.getReason());
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    @Override
    public ResponseEntity<List<AuditEventV2>> listOperatorAuditEvents(OffsetDateTime since, OffsetDateTime until,
                                                                      String organizationID, String actor,
                                                                      Integer limit) {
        return ResponseEntity.ok(operator.audit(caller.get(), since == null ? null : since.toInstant(),
                        until == null ? null : until.toInstant(), organizationID, actor, limit).stream()
                .map(OperatorConversion::auditEvent).toList());
    }

    private static ResponseEntity<List<OperatorHostV2>> hosts(List<OperatorStore.HostView> hosts) {
        return ResponseEntity.ok(hosts.stream().map(OperatorConversion::host).toList());
    }
}
