package io.ringfence.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.support.RingfenceTestBase;
import io.ringfence.testkit.Fixtures;
import io.ringfence.testkit.RawHttp;
import io.ringfence.testkit.Tokens;
import org.junit.jupiter.api.Test;

/**
 * The management endpoints from the outside: health is public for probes; metrics show fleet-wide state that
 * customers may not see, so they answer only to platform administrators and the metrics client.
 */
class ManagementAccessTest extends RingfenceTestBase {

    @Test
    void healthIsPublic() {
        assertThat(api.get(null, "/actuator/health").status()).isEqualTo(200);
        assertThat(api.get(null, "/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(api.get(null, "/actuator/health/readiness").status()).isEqualTo(200);
    }

    @Test
    void metricsAndInfoNeedAToken() {
        for (String path : new String[] {"/actuator/prometheus", "/actuator/info", "/actuator"}) {
            RawHttp.Response anonymous = api.get(null, path);
            assertThat(anonymous.status()).as(path).isEqualTo(401);
            assertThat(anonymous.json().get("error").asString()).isEqualTo("access_denied");
            assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(anonymous.text()).doesNotContain("ringfence_capacity");
            assertThat(api.get("not-a-token", path).status()).as(path).isEqualTo(401);
        }
    }

    @Test
    void customersAreRefusedEvenAsAdministratorsOfTheirOrganization() {
        for (Fixtures.Client customer : new Fixtures.Client[] {Fixtures.DEMO_CLIENT, Fixtures.OTHER_CLIENT}) {
            RawHttp.Response refused = api.get(Tokens.fetch(api.baseUrl(), customer), "/actuator/prometheus");
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.json().get("error").asString()).isEqualTo("forbidden");
            assertThat(refused.text()).doesNotContain("ringfence_capacity");
        }
    }

    @Test
    void operatorsAndTheMetricsClientReadMetrics() {
        for (Fixtures.Client reader : new Fixtures.Client[] {Fixtures.OPERATOR_CLIENT, Fixtures.METRICS_CLIENT}) {
            RawHttp.Response metrics = api.get(Tokens.fetch(api.baseUrl(), reader), "/actuator/prometheus");
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.text()).contains("ringfence_capacity_units");
        }
        // the metrics client reads metrics and nothing else
        String scraper = Tokens.fetch(api.baseUrl(), Fixtures.METRICS_CLIENT);
        assertThat(api.get(scraper, "/api/v2/operator/hosts").status()).isEqualTo(403);
    }
}
