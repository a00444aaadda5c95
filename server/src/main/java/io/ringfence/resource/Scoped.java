package io.ringfence.resource;

/** Something that lives in one project of one organization, which is what access is decided on. */
public interface Scoped {

    String organizationId();

    String projectId();
}
