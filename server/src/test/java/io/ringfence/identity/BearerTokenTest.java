package io.ringfence.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.ringfence.support.RingfenceTestBase;
import io.ringfence.testkit.Fixtures;
import io.ringfence.testkit.RawHttp;
import io.ringfence.testkit.Tokens;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.ExceptionTranslationFilter;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.logout.LogoutFilter;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.savedrequest.RequestCacheAwareFilter;
import org.springframework.security.web.servletapi.SecurityContextHolderAwareRequestFilter;

/**
 * Bearer token checks with real tokens: ones from the token endpoint, and ones this test signs itself with the
 * service's own persisted key (so that only the claim under test is wrong) or with a stranger's key.
 */
class BearerTokenTest extends RingfenceTestBase {

    @Test
    void tokenEndpointIssuesSignedTokensForTheServiceAudience() throws Exception {
        String token = demoToken();
        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("ringfence-demo");
        assertThat(jwt.getJWTClaimsSet().getAudience()).contains("ringfence");
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo(api.baseUrl());

        RawHttp.Response wrongSecret = Tokens.request(api.baseUrl(), "ringfence-demo", "not-the-secret");
        assertThat(wrongSecret.status()).isEqualTo(401);
        RawHttp.Response unknownClient = Tokens.request(api.baseUrl(), "nobody", "nothing");
        assertThat(unknownClient.status()).isEqualTo(401);
        // the secret is not re-encoded after use: the same secret keeps working
        assertThat(Tokens.fetch(api.baseUrl(), Fixtures.DEMO_CLIENT)).isNotBlank();
    }

    @Test
    void theApiChainHoldsOnlyWhatABearerTokenApiNeeds(@Autowired @Qualifier("apiChain") SecurityFilterChain chain) {
        List<Class<?>> filters = chain.getFilters().stream().<Class<?>>map(Object::getClass).toList();

        assertThat(filters).contains(BearerTokenAuthenticationFilter.class, AuthorizationFilter.class,
                ExceptionTranslationFilter.class, HeaderWriterFilter.class);
        assertThat(filters).doesNotContain(LogoutFilter.class, SecurityContextHolderAwareRequestFilter.class,
                CsrfFilter.class, AnonymousAuthenticationFilter.class, RequestCacheAwareFilter.class);
    }

    @Test
    void missingTokenIs401WithChallenge() {
        RawHttp.Response response = api.get(null, "/api/v2/reservations");
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().get("error").asString()).isEqualTo("access_denied");
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer ")
                .contains("resource_metadata=\"" + api.baseUrl() + "/.well-known/openid-protected-resource\"");
        assertThat(api.get(null, "/api/v2/reservation-units").status()).isEqualTo(401);
        assertThat(api.get(null, "/api/version").status()).isEqualTo(401);
    }

    @Test
    void invalidTokensAre401() throws Exception {
        RSAKey serviceKey = RSAKey.parse(Files.readString(DATA_DIR.resolve("keys/token-signing-key.json")));
        RSAKey strangerKey = new RSAKeyGenerator(2048).keyID(serviceKey.getKeyID()).generate();
        Instant now = Instant.now();
        JWTClaimsSet.Builder valid = new JWTClaimsSet.Builder().subject("ringfence-demo").issuer(api.baseUrl())
                .audience("ringfence").issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)));

        // sanity: a token signed with the service's key and correct claims is accepted
        assertThat(api.get(rsa(serviceKey, valid.build()), "/api/v2/reservations").status()).isEqualTo(200);

        List<String> bad = List.of(
                "garbage",
                "a.b.c",
                new PlainJWT(valid.build()).serialize(),
                rsa(strangerKey, valid.build()),
                hmac(valid.build()),
                // the classic confusion: HS256 keyed with the service's own public key
                hmacWith(serviceKey.toRSAPublicKey().getEncoded(), valid.build()),
                rsa(serviceKey, new JWTClaimsSet.Builder(valid.build())
                        .expirationTime(Date.from(now.minusSeconds(300))).build()),
                rsa(serviceKey, new JWTClaimsSet.Builder(valid.build())
                        .notBeforeTime(Date.from(now.plusSeconds(600))).build()),
                rsa(serviceKey, new JWTClaimsSet.Builder(valid.build()).issuer("https://evil.example").build()),
                rsa(serviceKey, new JWTClaimsSet.Builder(valid.build()).audience("someone-else").build()),
                // a token that never expires, one without its issue time, and one without a subject
                rsa(serviceKey, new JWTClaimsSet.Builder(valid.build()).expirationTime(null).build()),
                rsa(serviceKey, new JWTClaimsSet.Builder(valid.build()).issueTime(null).build()),
                rsa(serviceKey, new JWTClaimsSet.Builder(valid.build()).subject(null).build()));
        for (String token : bad) {
            RawHttp.Response response = api.get(token, "/api/v2/reservations");
            assertThat(response.status()).as(token).isEqualTo(401);
            assertThat(response.json().get("error").asString()).isEqualTo("access_denied");
            assertThat(response.header("WWW-Authenticate")).startsWith("Bearer ").contains("invalid_token");
        }
    }

    private static String rsa(RSAKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static String hmacWith(byte[] secret, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }

    private static String hmac(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner("0123456789abcdef0123456789abcdef"));
        return jwt.serialize();
    }
}
