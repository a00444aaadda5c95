package io.ringfence.provider;

/**
 * A network (VPC) of a region. {@code projectId} is the project it belongs to, or null for a shared one;
 * {@code organizationId} the organization, when the platform knows it (else the project's organization).
 */
public record Network(String id, String regionId, String organizationId, String projectId) {
}
