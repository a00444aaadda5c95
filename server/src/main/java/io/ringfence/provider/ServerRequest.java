package io.ringfence.provider;

/** A pinned bare-metal server to create on one host. */
public record ServerRequest(String serverId, String name, String infrastructureRef, String imageId, String networkId,
                            boolean publicIp, String sshCertificateAuthorityId, String userData) {
}
