package io.ringfence.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.support.RingfenceTestBase;
import io.ringfence.testkit.RawHttp;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The audit trail names the token's subject as the actor whenever the token is valid, also for refused requests. */
class AuditActorTest extends RingfenceTestBase {

    @Test
    void aSignedInCallerWhoseRequestFailsValidationIsAuditedByName() {
        RawHttp.Response refused = api.post(demoToken(), "/api/v2/reservations", "{\"metadata\":{}}");
        assertThat(refused.status()).isEqualTo(400);
        String traceId = refused.json().get("trace_id").asString();

        JsonNode trail = api.get(operatorToken(), "/api/v2/operator/audit?limit=200").json();
        JsonNode event = null;
        for (JsonNode candidate : trail) {
            if (traceId.equals(candidate.path("traceId").asString(""))) {
                event = candidate;
            }
        }
        assertThat(event).as("the refused request's audit event").isNotNull();
        assertThat(event.get("actor").asString()).isEqualTo("ringfence-demo");
        assertThat(event.get("resultStatus").asInt()).isEqualTo(400);
    }
}
