package io.ringfence.support;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.ringfence.testkit.RawHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in for the identity service, which cannot run here: an OIDC issuer (discovery and a JWKS whose keys
 * a test can rotate) and a Unikorn-style remote ACL endpoint. A mock of something outside the project, on
 * loopback, speaking the real protocols.
 */
public final class IdentityStub {

    private final HttpServer server;
    private final Map<String, String> aclBySubject = new ConcurrentHashMap<>();
    private final Map<String, java.util.Set<String>> projectsByOrganization = new ConcurrentHashMap<>();
    private volatile RSAKey signingKey;
    private volatile JWKSet published;
    private volatile boolean aclDown;

    public IdentityStub() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            rotate();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/issuer/.well-known/openid-configuration", exchange -> respond(exchange, 200, """
                {"issuer":"%s","jwks_uri":"%s/jwks","authorization_endpoint":"%s/authorize","token_endpoint":"%s/token",
                 "response_types_supported":["code"],"subject_types_supported":["public"],
                 "id_token_signing_alg_values_supported":["RS256"]}"""
                .formatted(issuer(), issuer(), issuer(), issuer())));
        server.createContext("/issuer/jwks", exchange -> respond(exchange, 200, published.toString(true)));
        server.createContext("/api/v1/organizations/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String subject = authorization == null ? null : subjectOf(authorization.substring("Bearer ".length()));
            if (aclDown) {
                respond(exchange, 503, "{\"error\":\"server_error\"}");
                return;
            }
            String acl = subject == null ? null : aclBySubject.get(subject);
            if (acl == null && subject != null) {
                acl = placementsOnly(exchange.getRequestURI().getPath());
            }
            respond(exchange, acl == null ? 403 : 200, acl == null ? "{\"error\":\"forbidden\"}" : acl);
        });
        server.start();
    }

    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/issuer";
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The ACL endpoint answers 503 to everyone while {@code down}. */
    public void aclDown(boolean down) {
        aclDown = down;
    }

    /** A new signing key; the JWKS publishes only the new one from now on. */
    public void rotate() {
        try {
            signingKey = new RSAKeyGenerator(2048).keyID("key-" + System.nanoTime()).generate();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
        published = new JWKSet(signingKey.toPublicJWK());
    }

    /**
     * Places projects in an organization, as the identity service knows them: to anyone without an ACL of their own,
     * the endpoint answers that organization's projects with no grants at all.
     */
    public void placeProjects(String organization, String... projects) {
        projectsByOrganization.computeIfAbsent(organization, k -> ConcurrentHashMap.newKeySet())
                .addAll(java.util.List.of(projects));
    }

    private String placementsOnly(String path) {
        String organization = path.replaceFirst("^/api/v1/organizations/", "").replaceFirst("/acl$", "");
        java.util.Set<String> projects = projectsByOrganization.get(organization);
        if (projects == null) {
            return null;
        }
        return "{\"organization\":{\"id\":\"" + organization + "\",\"scopes\":[]},\"projects\":["
                + String.join(",", projects.stream().map(p -> "{\"id\":\"" + p + "\",\"scopes\":[]}").toList())
                + "]}";
    }

    /** The ACL (Unikorn JSON shape) the remote endpoint answers for this subject. */
    public void acl(String subject, String aclJson) {
        aclBySubject.put(subject, aclJson);
    }

    public String token(String subject, String audience) {
        try {
            Instant now = Instant.now();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).build(),
                    new JWTClaimsSet.Builder().issuer(issuer()).subject(subject).audience(audience)
                            .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600))).build());
            jwt.sign(new RSASSASigner(signingKey));
            return jwt.serialize();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String subjectOf(String token) {
        try {
            String[] parts = token.split("\\.");
            String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
            return RawHttp.json().readTree(payload).get("sub").asString();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
