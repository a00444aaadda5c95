package io.ringfence.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.ringfence.support.Reservations;
import io.ringfence.support.RingfenceTestBase;
import io.ringfence.testkit.Fixtures;
import io.ringfence.testkit.RawHttp;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The three ACL sources through the whole chain with real tokens: the access file (the other tests), an
 * {@code acl} claim in the token, and the remote ACL endpoint of an external issuer's identity service (a
 * local stand-in, since the real service cannot run here). Also the external issuer's key rotation.
 */
class AclSourcesTest extends RingfenceTestBase {

    static final String ORG = "acl-source-org";
    static final String PROJECT = "acl-source-project";
    static final String REGION = Fixtures.SECOND_REGION;

    @Test
    void anAclClaimGrantsWhatItSays() throws Exception {
        RSAKey key = RSAKey.parse(Files.readString(DATA_DIR.resolve("keys/token-signing-key.json")));
        Map<String, Object> acl = Map.of(
                "organization", Map.of("id", ORG, "scopes", List.of(Map.of("name", "reservation:reservations",
                        "operations", List.of("read")))),
                "projects", List.of(Map.of("id", PROJECT, "scopes", List.of(Map.of("name", "reservation:reservations",
                        "operations", List.of("create", "read", "delete"))))));
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().issuer(api.baseUrl()).subject("claim-holder").audience("ringfence")
                        .claim("acl", acl).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300))).build());
        jwt.sign(new RSASSASigner(key));
        String token = jwt.serialize();

        RawHttp.Response created = api.post(token, "/api/v2/reservations",
                Reservations.body("from-claim", ORG, PROJECT, REGION, 1, List.of()));
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        String id = created.json().get("metadata").get("id").asString();
        assertThat(api.post(token, "/api/v2/reservations", Reservations.body("elsewhere", ORG, "other", REGION, 1,
                List.of())).status()).isEqualTo(403);
        assertThat(api.post(token, "/api/v2/reservations", Reservations.body("foreign", Fixtures.DEMO_ORG,
                Fixtures.DEMO_PROJECT, REGION, 1, List.of())).status()).isEqualTo(403);
        assertThat(api.get(token, "/api/v2/reservations/" + id).status()).isEqualTo(200);
        assertThat(api.get(token, "/api/v2/reservations").text()).contains(id);
        assertThat(api.delete(token, "/api/v2/reservations/" + id).status()).isEqualTo(202);
    }

    @Test
    void anExternalIssuersTokensGetTheirGrantsFromTheRemoteAclEndpoint() {
        identity.acl("remote-person", """
                {"organization":{"id":"%s","scopes":[{"name":"reservation:reservations","operations":["create","read","delete"]},
                  {"name":"reservation:topology","operations":["read"]}]},
                 "projects":[{"id":"%s","scopes":[]}]}""".formatted(ORG, PROJECT));
        String token = identity.token("remote-person", "ringfence");
        RawHttp.Response created = api.post(token, "/api/v2/reservations",
                Reservations.body("from-remote", ORG, PROJECT, REGION, 1, List.of()));
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        String id = created.json().get("metadata").get("id").asString();
        assertThat(api.get(token, "/api/v2/reservations?organizationID=" + ORG).text()).contains(id);
        assertThat(api.get(token, "/api/v2/organizations/" + ORG + "/topology?regionID=" + REGION).status()).isEqualTo(200);
        assertThat(api.get(token, "/api/v2/organizations/" + Fixtures.DEMO_ORG + "/topology").status()).isEqualTo(403);

        // a valid token with no grants reads the public catalog and nothing else
        String nobody = identity.token("nobody", "ringfence");
        assertThat(api.get(nobody, "/api/v2/reservation-units").status()).isEqualTo(200);
        assertThat(api.get(nobody, "/api/v2/reservations/" + id).status()).isEqualTo(404);
        assertThat(api.get(nobody, "/api/v2/reservations").json().size()).isZero();
        // the wrong audience is refused
        assertThat(api.get(identity.token("remote-person", "someone-else"), "/api/v2/reservation-units").status())
                .isEqualTo(401);
        assertThat(api.delete(token, "/api/v2/reservations/" + id).status()).isEqualTo(202);
    }

    /** A remote ACL endpoint that is down must not look like "no access", which would say the object is absent. */
    @Test
    void aRemoteAclEndpointThatIsDownIsAServerErrorWithRetryAfterNotANotFound() {
        identity.acl("remote-reader", """
                {"organization":{"id":"%s","scopes":[{"name":"reservation:reservations","operations":["read"]}]}}"""
                .formatted(ORG));
        String token = identity.token("remote-reader", "ringfence");
        assertThat(api.get(token, "/api/v2/reservations?organizationID=" + ORG).status()).isEqualTo(200);
        identity.aclDown(true);
        try {
            RawHttp.Response down = api.get(token, "/api/v2/reservations?organizationID=" + ORG);
            assertThat(down.status()).isEqualTo(500);
            assertThat(down.json().get("error").asString()).isEqualTo("server_error");
            assertThat(down.header("Retry-After")).isEqualTo("5");
            assertThat(api.get(token, "/api/v2/organizations/" + ORG + "/topology").status()).isEqualTo(500);
        } finally {
            identity.aclDown(false);
        }
        assertThat(api.get(token, "/api/v2/reservations/any-reservation-id").status()).isEqualTo(404);
    }

    @Test
    void anUnknownKeyIdRefreshesTheIssuersKeySet() {
        String before = identity.token("nobody", "ringfence");
        assertThat(api.get(before, "/api/v2/reservation-units").status()).isEqualTo(200);
        identity.rotate();
        String after = identity.token("nobody", "ringfence");
        assertThat(api.get(after, "/api/v2/reservation-units").status()).isEqualTo(200);
    }
}
