package io.ringfence.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The pieces of {@code rfctl login}: PKCE (RFC 7636), the authorization URL and the loopback redirect receiver (RFC 8252). */
public final class Login {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Login() {
    }

    /** A PKCE verifier (43 characters of base64url from 32 random bytes) and its S256 challenge. */
    public record Pkce(String verifier, String challenge) {
        public static Pkce generate() {
            return of(randomToken(32));
        }

        public static Pkce of(String verifier) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
                return new Pkce(verifier, Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public static String randomToken(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** {@code GET {url}/oauth2/v2/authorization?...} for the authorization code grant with PKCE. */
    public static URI authorizationUri(String serviceUrl, String clientId, String redirectUri, String state, Pkce pkce) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", clientId);
        query.put("redirect_uri", redirectUri);
        query.put("scope", "openid profile");
        query.put("state", state);
        query.put("code_challenge", pkce.challenge());
        query.put("code_challenge_method", "S256");
        return URI.create(Session.stripTrailingSlash(serviceUrl) + "/oauth2/v2/authorization?" + Api.form(query));
    }

    /** The form of the token request that redeems the code. */
    public static Map<String, String> tokenRequest(String code, String redirectUri, String clientId, Pkce pkce) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirectUri);
        form.put("client_id", clientId);
        form.put("code_verifier", pkce.verifier());
        return form;
    }

    /** What arrived at the redirect URI. */
    public record Callback(String code, String error, String errorDescription) {
    }

    /**
     * An HTTP server on 127.0.0.1 and a random port that waits for one redirect to {@code /cb} carrying the
     * expected state. Requests with another state are answered 400 and ignored.
     */
    public static final class LoopbackReceiver implements AutoCloseable {

        private final HttpServer server;
        private final String state;
        private final CompletableFuture<Callback> result = new CompletableFuture<>();

        public LoopbackReceiver(String state) throws IOException {
            this.state = state;
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
            server.createContext("/cb", this::handle);
            server.start();
        }

        public String redirectUri() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/cb";
        }

        public int port() {
            return server.getAddress().getPort();
        }

        private void handle(HttpExchange exchange) throws IOException {
            try {
                Map<String, String> query = parseQuery(exchange.getRequestURI().getRawQuery());
                if (!"GET".equals(exchange.getRequestMethod()) || !state.equals(query.get("state"))) {
                    respond(exchange, 400, "This sign-in request was not started by this rfctl; close this window.");
                    return;
                }
                Callback callback = new Callback(query.get("code"), query.get("error"), query.get("error_description"));
                if (callback.code() != null) {
                    respond(exchange, 200, "Signed in to Ringfence. You can close this window and return to the terminal.");
                } else {
                    respond(exchange, 400, "Sign-in failed: " + (callback.errorDescription() != null
                            ? callback.errorDescription() : String.valueOf(callback.error())));
                }
                result.complete(callback);
            } finally {
                exchange.close();
            }
        }

        public Callback await(long timeoutSeconds) {
            try {
                return result.get(timeoutSeconds, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new CliException("no sign-in arrived within " + timeoutSeconds + " s");
            } catch (ExecutionException e) {
                throw new CliException("sign-in failed: " + e.getCause().getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted");
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }

        private static void respond(HttpExchange exchange, int status, String message) throws IOException {
            byte[] body = ("<!doctype html><html><head><meta charset=\"utf-8\"><title>rfctl</title></head><body><p>"
                    + message.replace("&", "&amp;").replace("<", "&lt;") + "</p></body></html>")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> values = new HashMap<>();
        if (rawQuery == null) {
            return values;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            values.putIfAbsent(name, value);
        }
        return values;
    }
}
