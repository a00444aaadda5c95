package io.ringfence.web;

import io.ringfence.contract.api.VersionApi;
import io.ringfence.contract.model.ServiceVersionRead;
import io.ringfence.identity.IdentityProperties;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.info.BuildProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The documents the service serves about itself: its OpenAPI contract, its version, and the OAuth protected
 * resource metadata that tells clients where to get tokens.
 */
@RestController
public class ServiceDocumentsController implements VersionApi {

    private final byte[] openApiDocument;
    private final String version;
    private final IdentityProperties identity;

    public ServiceDocumentsController(ObjectProvider<BuildProperties> build, IdentityProperties identity)
            throws IOException {
        try (InputStream in = new ClassPathResource("openapi/reservation-api.yaml").getInputStream()) {
            this.openApiDocument = in.readAllBytes();
        }
        BuildProperties properties = build.getIfAvailable();
        this.version = properties == null ? "development" : properties.getVersion();
        this.identity = identity;
    }

    @GetMapping(value = "/openapi.yaml", produces = "application/yaml")
    public ResponseEntity<byte[]> openApi() {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/yaml")).body(openApiDocument);
    }

    @Override
    public ResponseEntity<ServiceVersionRead> getVersion() {
        return ResponseEntity.ok(new ServiceVersionRead("ringfence", version));
    }

    @GetMapping(value = {"/.well-known/openid-protected-resource", "/.well-known/oauth-protected-resource"},
            produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> protectedResourceMetadata() {
        List<String> issuers = new java.util.ArrayList<>();
        issuers.add(identity.embeddedIssuer());
        issuers.addAll(identity.externalIssuers());
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("resource", identity.publicUrl());
        metadata.put("authorization_servers", issuers);
        metadata.put("scopes_supported", List.of("openid", "profile"));
        metadata.put("bearer_methods_supported", List.of("header"));
        return metadata;
    }
}
