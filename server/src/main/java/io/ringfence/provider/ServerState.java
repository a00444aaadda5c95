package io.ringfence.provider;

/**
 * A server as the platform reports it.
 *
 * @param powerState one of {@code Pending, Queued, Building, Running, Stopping, Stopped, Rebuilding, Error}
 * @param imageId the image the server runs (or is being rebuilt to)
 */
public record ServerState(String powerState, String imageId, String privateIp, String publicIp, String macAddress) {
}
