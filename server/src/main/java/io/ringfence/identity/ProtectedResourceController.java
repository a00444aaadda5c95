package io.ringfence.identity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The OAuth protected resource metadata (RFC 9728) that tells clients where to get tokens. */
@RestController
public class ProtectedResourceController {

    private final IdentityProperties identity;

    public ProtectedResourceController(IdentityProperties identity) {
        this.identity = identity;
    }

    @GetMapping(value = {"/.well-known/openid-protected-resource", "/.well-known/oauth-protected-resource"},
            produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> protectedResourceMetadata() {
        List<String> issuers = new ArrayList<>();
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
