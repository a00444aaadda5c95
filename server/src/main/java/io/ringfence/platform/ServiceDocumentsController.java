package io.ringfence.platform;

import io.ringfence.contract.api.VersionApi;
import io.ringfence.contract.model.ServiceVersionRead;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.boot.info.BuildProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The documents the service serves about itself: its OpenAPI contract and its version.
 */
@RestController
public class ServiceDocumentsController implements VersionApi {

    private final byte[] openApiDocument;
    private final String version;

    public ServiceDocumentsController(ObjectProvider<BuildProperties> build)
            throws IOException {
        try (InputStream in = new ClassPathResource("openapi/reservation-api.yaml").getInputStream()) {
            this.openApiDocument = in.readAllBytes();
        }
        BuildProperties properties = build.getIfAvailable();
        this.version = properties == null ? "development" : properties.getVersion();
    }

    @GetMapping(value = "/openapi.yaml", produces = "application/yaml")
    public ResponseEntity<byte[]> openApi() {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/yaml")).body(openApiDocument);
    }

    @Override
    public ResponseEntity<ServiceVersionRead> getVersion() {
        return ResponseEntity.ok(new ServiceVersionRead("ringfence", version));
    }
}
