package io.ringfence.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoginTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void pkceS256MatchesTheRfc7636Example() {
        Login.Pkce pkce = Login.Pkce.of("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assertEquals("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", pkce.challenge());
    }

    @Test
    void generatedVerifiersAreLongEnoughUnreservedAndFresh() {
        Login.Pkce a = Login.Pkce.generate();
        Login.Pkce b = Login.Pkce.generate();
        assertEquals(43, a.verifier().length());
        assertTrue(a.verifier().matches("[A-Za-z0-9\\-._~]{43,128}"));
        assertNotEquals(a.verifier(), b.verifier());
        assertEquals(Login.Pkce.of(a.verifier()).challenge(), a.challenge());
    }

    @Test
    void theAuthorizationUrlCarriesEveryParameter() {
        Login.Pkce pkce = Login.Pkce.of("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        URI uri = Login.authorizationUri("https://rf.example.com/", "ringfence-console", "http://127.0.0.1:4711/cb",
                "st4te", pkce);
        assertEquals("https", uri.getScheme());
        assertEquals("/oauth2/v2/authorization", uri.getPath());
        Map<String, String> query = Login.parseQuery(uri.getRawQuery());
        assertEquals(Map.of("response_type", "code", "client_id", "ringfence-console",
                "redirect_uri", "http://127.0.0.1:4711/cb", "scope", "openid profile", "state", "st4te",
                "code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "code_challenge_method", "S256"), query);
        assertTrue(uri.getRawQuery().contains("scope=openid%20profile"), uri::toString);
        assertTrue(uri.getRawQuery().contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A4711%2Fcb"), uri::toString);
    }

    @Test
    void theTokenRequestRedeemsTheCodeWithTheVerifier() {
        Login.Pkce pkce = Login.Pkce.of("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assertEquals("grant_type=authorization_code&code=a%2Fb&redirect_uri=http%3A%2F%2F127.0.0.1%3A1%2Fcb"
                        + "&client_id=ringfence-console&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
                Api.form(Login.tokenRequest("a/b", "http://127.0.0.1:1/cb", "ringfence-console", pkce)));
    }

    @Test
    void theLoopbackReceiverTakesTheRedirectWithTheRightStateOnly() throws Exception {
        try (Login.LoopbackReceiver receiver = new Login.LoopbackReceiver("expected-state")) {
            assertTrue(receiver.redirectUri().matches("http://127\\.0\\.0\\.1:\\d+/cb"), receiver.redirectUri());
            HttpResponse<String> forged = HTTP.send(HttpRequest.newBuilder(
                    URI.create(receiver.redirectUri() + "?code=evil&state=other")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, forged.statusCode());
            HttpResponse<String> redirect = HTTP.send(HttpRequest.newBuilder(
                    URI.create(receiver.redirectUri() + "?code=the%2Bcode&state=expected-state")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, redirect.statusCode());
            assertTrue(redirect.body().contains("Signed in"));
            Login.Callback callback = receiver.await(5);
            assertEquals("the+code", callback.code());
            assertNull(callback.error());
        }
    }

    @Test
    void theLoopbackReceiverReportsADeniedSignIn() throws Exception {
        try (Login.LoopbackReceiver receiver = new Login.LoopbackReceiver("s")) {
            HTTP.send(HttpRequest.newBuilder(URI.create(receiver.redirectUri()
                    + "?error=access_denied&error_description=user%20cancelled&state=s")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Login.Callback callback = receiver.await(5);
            assertNull(callback.code());
            assertEquals("user cancelled", callback.errorDescription());
        }
    }

    /** The whole flow against a fake authorization server; the "browser" follows the redirect. */
    @Test
    void loginStoresThePersonsTokenInAPrivateConfigFile(@TempDir Path temp) throws Exception {
        AtomicReference<String> challenge = new AtomicReference<>();
        AtomicReference<Map<String, String>> tokenForm = new AtomicReference<>();
        HttpServer fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        fake.createContext("/oauth2/v2/authorization", exchange -> {
            Map<String, String> q = Login.parseQuery(exchange.getRequestURI().getRawQuery());
            challenge.set(q.get("code_challenge"));
            exchange.getResponseHeaders().set("Location", q.get("redirect_uri") + "?code=c0de&state="
                    + Api.urlEncode(q.get("state")));
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        fake.createContext("/oauth2/v2/token", exchange -> {
            Map<String, String> form = Login.parseQuery(new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8));
            tokenForm.set(form);
            boolean valid = "c0de".equals(form.get("code"))
                    && Login.Pkce.of(form.get("code_verifier")).challenge().equals(challenge.get());
            byte[] body = (valid ? "{\"access_token\":\"person-token\",\"token_type\":\"Bearer\",\"expires_in\":3600}"
                    : "{\"error\":\"invalid_grant\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(valid ? 200 : 400, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        fake.start();
        try {
            String url = "http://127.0.0.1:" + fake.getAddress().getPort();
            Path config = temp.resolve("cfg").resolve("rfctl").resolve("config.json");
            Rfctl rfctl = new Rfctl(Map.of("RFCTL_CONFIG", config.toString()));
            AtomicReference<URI> opened = new AtomicReference<>();
            rfctl.browser = (uri, err) -> {
                opened.set(uri);
                CompletableFuture.runAsync(() -> {
                    try {
                        HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()
                                .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding());
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
            };
            var cli = Rfctl.commandLine(rfctl);
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            int exit = cli.execute("login", "--url", url, "--timeout", "10s");
            assertEquals(0, exit, () -> out + "\n" + err);
            assertTrue(opened.get().toString().startsWith(url + "/oauth2/v2/authorization?"));
            assertEquals("authorization_code", tokenForm.get().get("grant_type"));
            assertEquals("ringfence-console", tokenForm.get().get("client_id"));
            assertTrue(tokenForm.get().get("redirect_uri").startsWith("http://127.0.0.1:"));

            Config saved = new ConfigStore(config).load();
            assertEquals("default", saved.currentContext);
            Config.Context context = saved.context("default").orElseThrow();
            assertEquals("person-token", context.token);
            assertEquals(url, context.url);
            assertEquals("ringfence-console", context.tokenClientId);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config.getParent())));

            // The session uses the person's token when no client is configured.
            Session session = new Session(Map.of("RFCTL_CONFIG", config.toString()), new ConfigStore(config), null,
                    java.time.Clock.systemUTC());
            assertEquals("person-token", session.cachedToken());
        } finally {
            fake.stop(0);
        }
    }
}
