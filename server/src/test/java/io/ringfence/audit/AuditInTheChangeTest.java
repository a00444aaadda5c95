package io.ringfence.audit;

import static io.ringfence.testkit.Fixtures.DEMO_ORG;
import static io.ringfence.testkit.Fixtures.DEMO_PROJECT;
import static io.ringfence.testkit.Fixtures.DOCS_REGION;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.support.Reservations;
import io.ringfence.support.RingfenceTestBase;
import io.ringfence.testkit.RawHttp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A change and its audit record commit together or not at all; refused requests are audited too. */
class AuditInTheChangeTest extends RingfenceTestBase {

    @Autowired
    JdbcClient jdbc;

    @Test
    void anAcceptedChangeHasExactlyOneAuditRecordWithItsOutcome() {
        RawHttp.Response created = api.post(demoToken(), "/api/v2/reservations",
                Reservations.body("audited-create", DEMO_ORG, DEMO_PROJECT, DOCS_REGION, 1, List.of()));
        assertThat(created.status()).isEqualTo(202);
        String id = created.json().get("metadata").get("id").asString();
        List<Map<String, Object>> rows = jdbc.sql("SELECT actor, resource_id, result_status FROM audit_event "
                + "WHERE trace_id = ?").param(created.header("X-Trace-Id")).query().listOfRows();
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).containsEntry("actor", "ringfence-demo").containsEntry("resource_id", id)
                .containsEntry("result_status", 202);
        Reservations.deleteAndAwaitGone(api, demoToken(), id);
    }

    @Test
    void whenTheAuditRecordCannotBeWrittenTheChangeDoesNotHappen() {
        long before = jdbc.sql("SELECT count(*) FROM reservation").query(Long.class).single();
        jdbc.sql("ALTER TABLE audit_event ADD CONSTRAINT audit_refused_for_the_test CHECK (false) NOT VALID").update();
        RawHttp.Response refused;
        try {
            refused = api.post(demoToken(), "/api/v2/reservations",
                    Reservations.body("unaudited-create", DEMO_ORG, DEMO_PROJECT, DOCS_REGION, 1, List.of()));
        } finally {
            jdbc.sql("ALTER TABLE audit_event DROP CONSTRAINT audit_refused_for_the_test").update();
        }
        assertThat(refused.status()).isEqualTo(500);
        assertThat(refused.json().get("error").asString()).isEqualTo("server_error");
        assertThat(jdbc.sql("SELECT count(*) FROM reservation WHERE name = 'unaudited-create'").query(Long.class)
                .single()).isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM reservation").query(Long.class).single()).isEqualTo(before);
    }

    @Test
    void aRefusedRequestIsAuditedWithItsOutcome() {
        RawHttp.Response refused = api.post(demoToken(), "/api/v2/reservations",
                Reservations.body("too-big", DEMO_ORG, DEMO_PROJECT, DOCS_REGION, 5000, List.of()));
        assertThat(refused.status()).isIn(400, 507);
        List<Map<String, Object>> rows = jdbc.sql("SELECT actor, result_status FROM audit_event WHERE trace_id = ?")
                .param(refused.header("X-Trace-Id")).query().listOfRows();
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).containsEntry("actor", "ringfence-demo")
                .containsEntry("result_status", refused.status());
    }
}
