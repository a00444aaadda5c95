package io.ringfence.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.support.RingfenceTestBase;
import io.ringfence.testkit.Fixtures;
import io.ringfence.testkit.RawHttp;
import io.ringfence.testkit.Tokens;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The edges of the embedded authorization server: client endpoints, logout, the session cookie, introspection. */
class OAuthEdgesTest extends RingfenceTestBase {

    @Test
    void clientEndpointsWithoutClientAuthenticationAnswer401WithTheOAuthErrorBody() {
        for (String path : List.of("/oauth2/v2/token", "/oauth2/v2/introspect", "/oauth2/v2/revoke")) {
            String form = path.endsWith("token") ? "grant_type=client_credentials" : "token=whatever";
            RawHttp.Response response = TokenRevocationTest.clientPost(path, null, form);
            assertThat(response.status()).as(path).isEqualTo(401);
            assertThat(response.header("Location")).as(path).isNull();
            assertThat(response.header("Content-Type")).as(path).startsWith("application/json");
            assertThat(response.json().get("error").asString()).as(path).isEqualTo("invalid_client");
            assertThat(response.json().get("error_description").asString()).as(path).isNotBlank();
        }
    }

    @Test
    void logoutNeedsTheCsrfToken() {
        RawHttp.Response response = RawHttp.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/logout"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(response.status()).isEqualTo(403);
    }

    @Test
    void theSessionCookieIsSameSiteLaxAndHttpOnly() {
        RawHttp.Response page = RawHttp.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/login")).GET());
        assertThat(page.status()).isEqualTo(200);
        String cookie = page.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Set-Cookie"))
                .flatMap(e -> e.getValue().stream()).filter(c -> c.startsWith("JSESSIONID=")).findFirst()
                .orElseThrow();
        assertThat(cookie).containsIgnoringCase("SameSite=Lax").containsIgnoringCase("HttpOnly");
    }

    @Test
    void aClientIntrospectsOnlyItsOwnTokensUnlessPlatformAdministrator() {
        String personToken = Tokens.fetch(api.baseUrl(), Fixtures.DEMO_CLIENT);
        String bobToken = personToken("bob");
        // someone else's token: inactive, as if unknown
        assertThat(active(Fixtures.OTHER_CLIENT, personToken)).isFalse();
        assertThat(active(Fixtures.OTHER_CLIENT, bobToken)).isFalse();
        // its own token: active, with its claims
        RawHttp.Response own = TokenRevocationTest.introspect(Fixtures.DEMO_CLIENT, personToken);
        assertThat(own.json().get("active").asBoolean()).isTrue();
        assertThat(own.json().get("client_id").asString()).isEqualTo("ringfence-demo");
        // a platform administrator sees every token
        assertThat(active(Fixtures.OPERATOR_CLIENT, personToken)).isTrue();
        assertThat(active(Fixtures.OPERATOR_CLIENT, bobToken)).isTrue();
    }

    private static boolean active(Fixtures.Client client, String token) {
        RawHttp.Response response = TokenRevocationTest.introspect(client, token);
        assertThat(response.status()).isEqualTo(200);
        return response.json().get("active").asBoolean();
    }
}
