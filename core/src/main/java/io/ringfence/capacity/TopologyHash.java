package io.ringfence.capacity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The version of a reservation's claim: {@code sha256:} and the hex SHA-256 of
 * {@code pod:<pod>\n}, then per claimed domain in ascending ID order {@code domain:<id>\n} followed by
 * {@code host:<infrastructureRef>\n} per host in ascending order. Ascending means {@link String#compareTo},
 * so any client can recompute it from the topology view.
 */
public final class TopologyHash {

    private TopologyHash() {
    }

    public static String of(String podId, Map<String, ? extends List<String>> hostsByDomain) {
        StringBuilder text = new StringBuilder(64 + hostsByDomain.size() * 1024);
        text.append("pod:").append(podId).append('\n');
        List<String> domains = new ArrayList<>(hostsByDomain.keySet());
        domains.sort(String::compareTo);
        for (String domain : domains) {
            text.append("domain:").append(domain).append('\n');
            List<String> hosts = new ArrayList<>(hostsByDomain.get(domain));
            hosts.sort(String::compareTo);
            for (String host : hosts) {
                text.append("host:").append(host).append('\n');
            }
        }
        return "sha256:" + HexFormat.of().formatHex(sha256(text.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
