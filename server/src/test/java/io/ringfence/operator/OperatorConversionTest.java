package io.ringfence.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.audit.AuditLog;
import io.ringfence.contract.model.AuditEventV2;
import io.ringfence.contract.model.OperatorFaultKindV2;
import io.ringfence.contract.model.OperatorHostV2;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The operator API's hosts, audit events and fault kinds on the wire. */
class OperatorConversionTest {

    @Test
    void aClaimedHostCarriesEveryField() {
        OperatorStore.HostView view = new OperatorStore.HostView("host-17", "region-1", "GB300", "NVL72", "pod-1",
                "pod-one", "domain-3", "nvl-03", false, true, true, "operator fault: host failure", true, "res-9",
                "org-a", "project-1");

        OperatorHostV2 host = OperatorConversion.host(view);

        assertThat(host.getInfrastructureRef()).isEqualTo("host-17");
        assertThat(host.getRegionId()).isEqualTo("region-1");
        assertThat(host.getAccelerator()).isEqualTo("GB300");
        assertThat(host.getUnit()).isEqualTo("NVL72");
        assertThat(host.getPodId()).isEqualTo("pod-1");
        assertThat(host.getPodName()).isEqualTo("pod-one");
        assertThat(host.getDomainId()).isEqualTo("domain-3");
        assertThat(host.getDomainName()).isEqualTo("nvl-03");
        assertThat(host.getHealthy()).isFalse();
        assertThat(host.getPlatformHealthy()).isTrue();
        assertThat(host.getOperatorFaulty()).isTrue();
        assertThat(host.getHealthReason()).isEqualTo("operator fault: host failure");
        assertThat(host.getDraining()).isTrue();
        assertThat(host.getReservationId()).isEqualTo("res-9");
        assertThat(host.getOrganizationId()).isEqualTo("org-a");
        assertThat(host.getProjectId()).isEqualTo("project-1");
    }

    @Test
    void aFreeHealthyHostHasNoReservationOrReason() {
        OperatorHostV2 host = OperatorConversion.host(new OperatorStore.HostView("host-1", "region-1", "GB300", "NVL72",
                "pod-1", "pod-one", "domain-1", "nvl-01", true, true, false, null, false, null, null, null));

        assertThat(host.getHealthy()).isTrue();
        assertThat(host.getOperatorFaulty()).isFalse();
        assertThat(host.getDraining()).isFalse();
        assertThat(host.getHealthReason()).isNull();
        assertThat(host.getReservationId()).isNull();
        assertThat(host.getOrganizationId()).isNull();
        assertThat(host.getProjectId()).isNull();
    }

    @Test
    void anAuditEventCarriesEveryFieldInUtc() {
        AuditLog.AuditEvent event = new AuditLog.AuditEvent(Instant.parse("2026-04-28T11:04:00.123Z"), "alice",
                "console", "org-a", "project-1", "reservation", "res-1", "create", 202, "trace-1", "1 unit");

        AuditEventV2 wire = OperatorConversion.auditEvent(event);

        assertThat(wire.getOccurredAt()).isEqualTo(OffsetDateTime.parse("2026-04-28T11:04:00.123Z"));
        assertThat(wire.getOccurredAt().getOffset()).isEqualTo(ZoneOffset.UTC);
        assertThat(wire.getActor()).isEqualTo("alice");
        assertThat(wire.getClientId()).isEqualTo("console");
        assertThat(wire.getOrganizationId()).isEqualTo("org-a");
        assertThat(wire.getProjectId()).isEqualTo("project-1");
        assertThat(wire.getResourceKind()).isEqualTo("reservation");
        assertThat(wire.getResourceId()).isEqualTo("res-1");
        assertThat(wire.getVerb()).isEqualTo("create");
        assertThat(wire.getResultStatus()).isEqualTo(202);
        assertThat(wire.getTraceId()).isEqualTo("trace-1");
        assertThat(wire.getDetail()).isEqualTo("1 unit");
    }

    @Test
    void aRefusedRequestsAuditEventKeepsItsStatusAndMissingParts() {
        AuditEventV2 wire = OperatorConversion.auditEvent(new AuditLog.AuditEvent(Instant.EPOCH, "mallory", null, null,
                null, "reservation", null, "delete", 403, null, null));

        assertThat(wire.getResultStatus()).isEqualTo(403);
        assertThat(wire.getOccurredAt()).isEqualTo(OffsetDateTime.parse("1970-01-01T00:00:00Z"));
        assertThat(wire.getClientId()).isNull();
        assertThat(wire.getResourceId()).isNull();
    }

    @ParameterizedTest
    @CsvSource({
            "PREPARE_FAILURE, PREPARE_FAILURE",
            "HOST_FAILURE, HOST_FAILURE",
            "HOST_RECOVERY, HOST_RECOVERY"})
    void faultKindsMapOneToOne(OperatorFaultKindV2 kind, OperatorService.Fault fault) {
        assertThat(OperatorConversion.fault(kind)).isSameAs(fault);
        assertThat(fault.value()).isEqualTo(kind.getValue());
    }

    @Test
    void everyFaultKindHasItsOwnFault() {
        Set<OperatorService.Fault> faults = EnumSet.noneOf(OperatorService.Fault.class);
        for (OperatorFaultKindV2 kind : OperatorFaultKindV2.values()) {
            faults.add(OperatorConversion.fault(kind));
        }
        assertThat(faults).containsExactlyInAnyOrder(OperatorService.Fault.values());
    }
}
