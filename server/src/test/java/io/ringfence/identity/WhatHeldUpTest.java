package io.ringfence.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.ringfence.support.RingfenceTestBase;
import io.ringfence.testkit.Fixtures;
import io.ringfence.testkit.PersonLogin;
import io.ringfence.testkit.RawHttp;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What held up when Ringfence was probed as an attacker would probe it, kept as regression tests: foreign redirect
 * URIs, PKCE without S256, a code used twice, tokens that bring their own key ({@code jku}, embedded {@code jwk}),
 * and cross-origin requests from foreign sites.
 */
class WhatHeldUpTest extends RingfenceTestBase {

    private static final HttpClient NO_REDIRECTS = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void aForeignRedirectUriIsRefusedAndNeverFollowed() throws Exception {
        HttpResponse<String> answer = authorize("https://evil.example/cb", "S256");
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.headers().firstValue("Location").orElse("")).doesNotContain("evil.example");
    }

    @Test
    void pkceWithoutS256IsRefused() throws Exception {
        HttpResponse<String> plain = authorize(PersonLogin.REDIRECT, "plain");
        assertThat(plain.headers().firstValue("Location").orElse(plain.body()))
                .satisfiesAnyOf(l -> assertThat(l).contains("error=invalid_request"),
                        l -> assertThat(plain.statusCode()).isEqualTo(400));
        assertThat(plain.headers().firstValue("Location").orElse("")).doesNotContain("code=");
    }

    @Test
    void anAuthorizationCodeWorksOnce() {
        PersonLogin login = new PersonLogin(api.baseUrl());
        PersonLogin.Grant grant = login.authorize(Fixtures.ALICE.username(), Fixtures.ALICE.password());
        assertThat(login.exchange(grant).status()).isEqualTo(200);
        RawHttp.Response replay = login.exchange(grant);
        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.json().get("error").asString()).isEqualTo("invalid_grant");
    }

    @Test
    void aTokenThatBringsItsOwnKeyIsRefused() throws Exception {
        RSAKey attacker = new RSAKeyGenerator(2048).keyID("attacker").generate();
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("ringfence-operator").issuer(api.baseUrl())
                .audience("ringfence").issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300))).build();
        for (JWSHeader header : new JWSHeader[] {
                new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID("attacker")
                        .jwkURL(URI.create("https://evil.example/jwks")).build(),
                new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID("attacker")
                        .jwk(attacker.toPublicJWK()).build()}) {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(new RSASSASigner(attacker));
            assertThat(api.get(jwt.serialize(), "/api/v2/reservations").status()).isEqualTo(401);
        }
    }

    @Test
    void foreignOriginsGetNoCorsGrant() {
        RawHttp.Response preflight = api.send("OPTIONS", null, "/api/v2/reservations",
                Map.of("Origin", "https://evil.example", "Access-Control-Request-Method", "POST"), null);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
        RawHttp.Response read = api.send("GET", demoToken(), "/api/v2/reservations",
                Map.of("Origin", "https://evil.example"), null);
        assertThat(read.header("Access-Control-Allow-Origin")).isNull();
    }

    private HttpResponse<String> authorize(String redirect, String method) throws Exception {
        String url = api.baseUrl() + "/oauth2/v2/authorization?response_type=code&client_id=ringfence-console"
                + "&redirect_uri=" + URLEncoder.encode(redirect, StandardCharsets.UTF_8) + "&scope=openid&state=s"
                + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=" + method;
        return NO_REDIRECTS.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
