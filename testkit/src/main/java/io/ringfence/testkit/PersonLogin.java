package io.ringfence.testkit;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The authorization-code flow with PKCE against the embedded issuer, step by step, as a browser would. */
public final class PersonLogin {

    /** An authorization code and the PKCE verifier it was requested with. */
    public record Grant(String code, String verifier) {
    }

    public static final String REDIRECT = "http://127.0.0.1:53682/cb";

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public PersonLogin(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    String token(String username, String password) {
        RawHttp.Response token = exchange(authorize(username, password));
        if (token.status() != 200) {
            throw new IllegalStateException("token exchange failed: " + token);
        }
        return token.json().get("access_token").asString();
    }

    /** Signs in on the login page and returns the authorization code the redirect carries. */
    public Grant authorize(String username, String password) {
        try {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
            String authorize = baseUrl + "/oauth2/v2/authorization?response_type=code&client_id=ringfence-console"
                    + "&redirect_uri=" + encode(REDIRECT) + "&scope=" + encode("openid profile") + "&state=s1"
                    + "&code_challenge=" + challenge + "&code_challenge_method=S256";

            HttpResponse<String> first = get(authorize);
            expect(first, 302, "/login");
            HttpResponse<String> loginPage = get(absolute(first.headers().firstValue("Location").orElseThrow()));
            Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(loginPage.body());
            if (!csrf.find()) {
                throw new IllegalStateException("no CSRF token on the login page: " + loginPage.body());
            }
            HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("username=" + encode(username) + "&password="
                            + encode(password) + "&_csrf=" + encode(csrf.group(1))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            expect(signedIn, 302, "/oauth2/v2/authorization");
            HttpResponse<String> granted = get(absolute(signedIn.headers().firstValue("Location").orElseThrow()));
            expect(granted, 302, REDIRECT);
            String location = granted.headers().firstValue("Location").orElseThrow();
            Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(location);
            if (!code.find() || !location.contains("state=s1")) {
                throw new IllegalStateException("no code in the redirect: " + location);
            }
            return new Grant(code.group(1), verifier);
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The token endpoint's raw answer to the exchange of a code (a second exchange is a replay). */
    public RawHttp.Response exchange(Grant grant) {
        return RawHttp.send(HttpRequest.newBuilder(URI.create(baseUrl + "/oauth2/v2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&client_id=ringfence-console"
                        + "&code=" + grant.code() + "&redirect_uri=" + encode(REDIRECT)
                        + "&code_verifier=" + grant.verifier())));
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html").GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String absolute(String location) {
        return location.startsWith("http") ? location : baseUrl + location;
    }

    private static void expect(HttpResponse<String> response, int status, String locationPart) {
        String location = response.headers().firstValue("Location").orElse("");
        if (response.statusCode() != status || !location.contains(locationPart)) {
            throw new IllegalStateException("expected " + status + " to " + locationPart + " but got "
                    + response.statusCode() + " to '" + location + "': " + response.body());
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
