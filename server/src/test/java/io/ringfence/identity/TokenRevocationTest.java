package io.ringfence.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.ringfence.support.RingfenceTestBase;
import io.ringfence.testkit.Await;
import io.ringfence.testkit.Fixtures;
import io.ringfence.testkit.PersonLogin;
import io.ringfence.testkit.RawHttp;
import io.ringfence.testkit.Tokens;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Revoked and invalidated tokens of the embedded issuer stop working at once, while other tokens keep working:
 * real tokens, revoked at the revocation endpoint or invalidated by a replayed authorization code, or revoked by
 * "another replica" (a row written straight into the shared revocation table).
 */
class TokenRevocationTest extends RingfenceTestBase {

    /** How long a revocation may take to reach a replica that did not record it: one reload, with slack. */
    private static final Duration REVOCATION_REACH = Duration.ofSeconds(5);

    @Autowired
    JdbcClient jdbc;

    @Test
    void issuedTokensCarryAnIdAndLiveFifteenMinutes() throws Exception {
        JWTClaimsSet claims = SignedJWT.parse(Tokens.fetch(api.baseUrl(), Fixtures.DEMO_CLIENT)).getJWTClaimsSet();
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getClaim("client_id")).isEqualTo("ringfence-demo");
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime())
                .isEqualTo(Duration.ofMinutes(15).toMillis());
    }

    @Test
    void revokedClientCredentialsTokenIsRefusedAndIntrospectsInactive() {
        String revoked = Tokens.fetch(api.baseUrl(), Fixtures.DEMO_CLIENT);
        String kept = Tokens.fetch(api.baseUrl(), Fixtures.DEMO_CLIENT);
        assertThat(api.get(revoked, "/api/v2/reservations").status()).isEqualTo(200);
        assertThat(introspect(Fixtures.DEMO_CLIENT, revoked).json().get("active").asBoolean()).isTrue();

        assertThat(revoke(Fixtures.DEMO_CLIENT, revoked).status()).isEqualTo(200);

        Await.until(() -> api.get(revoked, "/api/v2/reservations").status(), status -> status == 401,
                "the revoked token to be refused", Duration.ofSeconds(1));
        RawHttp.Response refused = api.get(revoked, "/api/v2/reservations");
        assertThat(refused.header("WWW-Authenticate")).contains("invalid_token");
        assertThat(introspect(Fixtures.DEMO_CLIENT, revoked).json().get("active").asBoolean()).isFalse();
        // the management chain refuses it too
        assertThat(api.get(revoked, "/actuator/prometheus").status()).isEqualTo(401);

        // a token that was not revoked keeps working
        assertThat(api.get(kept, "/api/v2/reservations").status()).isEqualTo(200);
        assertThat(introspect(Fixtures.DEMO_CLIENT, kept).json().get("active").asBoolean()).isTrue();
    }

    @Test
    void aClientCannotRevokeAnotherClientsToken() {
        String token = Tokens.fetch(api.baseUrl(), Fixtures.DEMO_CLIENT);
        RawHttp.Response response = revoke(Fixtures.OTHER_CLIENT, token);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error").asString()).isEqualTo("invalid_client");
        assertThat(api.get(token, "/api/v2/reservations").status()).isEqualTo(200);
    }

    @Test
    void aRevocationRecordedByAnotherReplicaIsRefusedHereWithinASecond() throws Exception {
        String token = Tokens.fetch(api.baseUrl(), Fixtures.DEMO_CLIENT);
        JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
        assertThat(api.get(token, "/api/v2/reservations").status()).isEqualTo(200);

        jdbc.sql("INSERT INTO revoked_token (jti, expires_at, client_id, reason) VALUES (?, ?, ?, 'revoked')")
                .params(claims.getJWTID(), new Timestamp(claims.getExpirationTime().getTime()), "ringfence-demo")
                .update();

        Await.until(() -> api.get(token, "/api/v2/reservations").status(), status -> status == 401,
                "the token revoked elsewhere to be refused", REVOCATION_REACH);
    }

    @Test
    void tokensOfAReplayedAuthorizationCodeAreRefused() {
        PersonLogin login = new PersonLogin(api.baseUrl());
        PersonLogin.Grant grant = login.authorize("bob", "bob-password");
        RawHttp.Response first = login.exchange(grant);
        assertThat(first.status()).isEqualTo(200);
        String token = first.json().get("access_token").asString();
        assertThat(api.get(token, "/api/v2/reservations").status()).isEqualTo(200);

        RawHttp.Response replay = login.exchange(grant);
        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.json().get("error").asString()).isEqualTo("invalid_grant");

        Await.until(() -> api.get(token, "/api/v2/reservations").status(), status -> status == 401,
                "the token of the replayed code to be refused", Duration.ofSeconds(1));
        // a platform administrator sees it inactive
        assertThat(introspect(Fixtures.OPERATOR_CLIENT, token).json().get("active").asBoolean()).isFalse();
        // bob's other sessions are unaffected
        String other = new PersonLogin(api.baseUrl()).exchange(new PersonLogin(api.baseUrl())
                .authorize("bob", "bob-password")).json().get("access_token").asString();
        assertThat(api.get(other, "/api/v2/reservations").status()).isEqualTo(200);
    }

    @Test
    void expiredRevocationsArePurged() {
        jdbc.sql("INSERT INTO revoked_token (jti, expires_at, reason) VALUES ('long-gone', now() - interval '2 hours', 'revoked')")
                .update();
        revocationsPurge();
        assertThat(jdbc.sql("SELECT count(*) FROM revoked_token WHERE jti = 'long-gone'").query(Long.class).single())
                .isZero();
    }

    @Autowired
    TokenRevocations revocations;

    private void revocationsPurge() {
        assertThat(revocations.purgeExpired()).isPositive();
    }

    static RawHttp.Response introspect(Fixtures.Client client, String token) {
        return clientPost("/oauth2/v2/introspect", client, "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    }

    static RawHttp.Response revoke(Fixtures.Client client, String token) {
        return clientPost("/oauth2/v2/revoke", client, "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    }

    static RawHttp.Response clientPost(String path, Fixtures.Client client, String form) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.baseUrl() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (client != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (client.id() + ":" + client.secret()).getBytes(StandardCharsets.UTF_8)));
        }
        return RawHttp.send(request);
    }
}
