package io.ringfence.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopologyHashTest {

    @Test
    void hashesTheDocumentedTextInCodePointOrder() throws Exception {
        Map<String, List<String>> hosts = new LinkedHashMap<>();
        hosts.put("d-b", List.of("h-2", "h-1"));
        hosts.put("D-a", List.of("h-3"));
        // upper case sorts before lower case by code point
        String text = "pod:p-1\ndomain:D-a\nhost:h-3\ndomain:d-b\nhost:h-1\nhost:h-2\n";
        String expected = "sha256:" + HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        assertThat(TopologyHash.of("p-1", hosts)).isEqualTo(expected);
    }

    @Test
    void changesWhenTheClaimedHostsChange() {
        String one = TopologyHash.of("p", Map.of("d1", List.of("h1", "h2")));
        assertThat(TopologyHash.of("p", Map.of("d1", List.of("h2", "h1")))).isEqualTo(one);
        assertThat(TopologyHash.of("p", Map.of("d1", List.of("h1", "h3")))).isNotEqualTo(one);
        assertThat(TopologyHash.of("q", Map.of("d1", List.of("h1", "h2")))).isNotEqualTo(one);
        assertThat(one).matches("sha256:[0-9a-f]{64}");
    }
}
