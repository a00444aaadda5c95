package io.ringfence.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.audit.AuditLog;
import io.ringfence.support.RingfenceTestBase;
import io.ringfence.testkit.Fixtures;
import io.ringfence.testkit.PersonLogin;
import io.ringfence.testkit.RawHttp;
import io.ringfence.testkit.Tokens;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Guessing is slowed down: the test configuration refuses a client or user after 5 failures within 3 s
 * ({@code ringfence.identity.throttle.*} in {@link RingfenceTestBase}). Other clients and people are not slowed,
 * and the right credentials work again once the window has passed.
 */
class CredentialThrottleTest extends RingfenceTestBase {

    private static final int LIMIT = 5;

    @Autowired
    AuditLog audit;

    @Test
    void wrongClientSecretsAreThrottledPerClient() throws Exception {
        Fixtures.Client target = Fixtures.METRICS_CLIENT;
        for (int i = 0; i < LIMIT; i++) {
            assertThat(Tokens.request(api.baseUrl(), target.id(), "guess-" + i).status()).isEqualTo(401);
        }
        RawHttp.Response throttled = Tokens.request(api.baseUrl(), target.id(), "guess-again");
        assertThat(throttled.status()).isEqualTo(429);
        long retryAfter = Long.parseLong(throttled.header("Retry-After"));
        assertThat(retryAfter).isBetween(1L, 3L);
        assertThat(throttled.json().get("error").asString()).isEqualTo("slow_down");
        assertThat(throttled.json().get("error_description").asString()).isNotBlank();
        // while the client is throttled, even its right secret is not checked
        assertThat(Tokens.request(api.baseUrl(), target.id(), target.secret()).status()).isEqualTo(429);

        // another client from the same address is not slowed
        assertThat(Tokens.request(api.baseUrl(), Fixtures.DEMO_CLIENT.id(), Fixtures.DEMO_CLIENT.secret()).status())
                .isEqualTo(200);

        // the failures are in the audit trail, under the client ID attempted
        List<AuditLog.AuditEvent> events = audit.query(null, null, null, target.id(), 20);
        assertThat(events).filteredOn(e -> "token-refused".equals(e.verb())).hasSizeGreaterThanOrEqualTo(LIMIT);

        // after the window the right secret works, and a success starts the count over
        Thread.sleep(retryAfter * 1000 + 200);
        assertThat(Tokens.request(api.baseUrl(), target.id(), target.secret()).status()).isEqualTo(200);
        assertThat(Tokens.request(api.baseUrl(), target.id(), "one-more-guess").status()).isEqualTo(401);
        assertThat(Tokens.request(api.baseUrl(), target.id(), target.secret()).status()).isEqualTo(200);
    }

    @Test
    void wrongPasswordsAreThrottledPerUser() throws Exception {
        String user = "dave";
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        for (int i = 0; i < LIMIT; i++) {
            HttpResponse<String> refused = signIn(browser, user, "guess-" + i);
            assertThat(refused.statusCode()).isEqualTo(302);
            assertThat(refused.headers().firstValue("Location").orElse("")).contains("/login?error");
        }
        HttpResponse<String> throttled = signIn(browser, user, "guess-again");
        assertThat(throttled.statusCode()).isEqualTo(429);
        long retryAfter = Long.parseLong(throttled.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 3L);
        assertThat(signIn(browser, user, user + "-password").statusCode()).isEqualTo(429);

        // another person signs in as usual
        assertThat(new PersonLogin(api.baseUrl()).authorize("carol", "carol-password").code()).isNotBlank();
        assertThat(audit.query(null, null, null, user, 20))
                .filteredOn(e -> "login-refused".equals(e.verb())).hasSizeGreaterThanOrEqualTo(LIMIT);

        Thread.sleep(retryAfter * 1000 + 200);
        assertThat(new PersonLogin(api.baseUrl()).authorize(user, user + "-password").code()).isNotBlank();
    }

    /** One POST of the login form, with the CSRF token of a fresh login page. */
    private static HttpResponse<String> signIn(HttpClient browser, String username, String password)
            throws Exception {
        HttpResponse<String> page = browser.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/login")).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(page.body());
        assertThat(csrf.find()).isTrue();
        return browser.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + encode(username) + "&password="
                        + encode(password) + "&_csrf=" + encode(csrf.group(1))))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
