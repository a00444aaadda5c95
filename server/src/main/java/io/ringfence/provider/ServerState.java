package io.ringfence.provider;

/**
 * A server as the platform reports it.
 *
 * @param imageId the image the server runs (or is being rebuilt to)
 */
public record ServerState(PowerState powerState, String imageId, String privateIp, String publicIp,
                          String macAddress) {
}
