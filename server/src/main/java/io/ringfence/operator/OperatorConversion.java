package io.ringfence.operator;

import io.ringfence.audit.AuditLog;
import io.ringfence.contract.model.AuditEventV2;
import io.ringfence.contract.model.OperatorFaultKindV2;
import io.ringfence.contract.model.OperatorHostV2;
import java.time.ZoneOffset;

/** The operator API's answers on the wire. */
final class OperatorConversion {

    private OperatorConversion() {
    }

    static OperatorHostV2 host(OperatorStore.HostView h) {
        return new OperatorHostV2()
                .infrastructureRef(h.infrastructureRef())
                .regionId(h.regionId())
                .accelerator(h.accelerator())
                .unit(h.unit())
                .podId(h.podId())
                .podName(h.podName())
                .domainId(h.domainId())
                .domainName(h.domainName())
                .healthy(h.healthy())
                .platformHealthy(h.platformHealthy())
                .operatorFaulty(h.operatorFaulty())
                .healthReason(h.healthReason())
                .draining(h.draining())
                .reservationId(h.reservationId())
                .organizationId(h.organizationId())
                .projectId(h.projectId());
    }

    static AuditEventV2 auditEvent(AuditLog.AuditEvent e) {
        return new AuditEventV2()
                .occurredAt(e.occurredAt().atOffset(ZoneOffset.UTC))
                .actor(e.actor()).clientId(e.clientId()).organizationId(e.organizationId())
                .projectId(e.projectId()).resourceKind(e.resourceKind()).resourceId(e.resourceId())
                .verb(e.verb()).resultStatus(e.resultStatus()).traceId(e.traceId()).detail(e.detail());
    }

    static OperatorService.Fault fault(OperatorFaultKindV2 kind) {
        return switch (kind) {
            case PREPARE_FAILURE -> OperatorService.Fault.PREPARE_FAILURE;
            case HOST_FAILURE -> OperatorService.Fault.HOST_FAILURE;
            case HOST_RECOVERY -> OperatorService.Fault.HOST_RECOVERY;
        };
    }
}
