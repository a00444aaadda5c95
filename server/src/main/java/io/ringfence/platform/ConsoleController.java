package io.ringfence.platform;

import io.ringfence.error.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The web console at {@code /console}: one page of plain HTML and a small script, no build step. It signs a
 * person in with authorization code and PKCE as the public client {@code ringfence-console} and then talks to
 * the same API as every other client.
 */
@RestController
public class ConsoleController {

    private static final Map<String, MediaType> ASSETS = Map.of(
            "console.js", MediaType.valueOf("text/javascript"),
            "console.css", MediaType.valueOf("text/css"));

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    @GetMapping({"/console", "/console/", "/console/callback"})
    public ResponseEntity<byte[]> page() throws IOException {
        return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).cacheControl(CacheControl.noCache())
                .body(read("index.html"));
    }

    @GetMapping("/console/assets/{name}")
    public ResponseEntity<byte[]> asset(@PathVariable String name) throws IOException {
        MediaType type = ASSETS.get(name);
        if (type == null) {
            throw ApiException.notFound();
        }
        return ResponseEntity.ok().contentType(type).cacheControl(CacheControl.noCache()).body(read(name));
    }

    private byte[] read(String name) throws IOException {
        byte[] cached = cache.get(name);
        if (cached == null) {
            try (InputStream in = new ClassPathResource("console/" + name).getInputStream()) {
                cached = in.readAllBytes();
            }
            cache.put(name, cached);
        }
        return cached;
    }
}
