package io.ringfence.provider;

/** A network (VPC) of a region; {@code projectId} is the project it belongs to, or null for a shared one. */
public record Network(String id, String regionId, String projectId) {
}
