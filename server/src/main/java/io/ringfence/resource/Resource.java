package io.ringfence.resource;


/** A project-scoped resource as stored: what it is and where it lives follow from its metadata. */
public interface Resource extends Scoped {

    ResourceMetadata metadata();

    default String id() {
        return metadata().id();
    }

    @Override
    default String organizationId() {
        return metadata().organizationId();
    }

    @Override
    default String projectId() {
        return metadata().projectId();
    }

    default boolean deleting() {
        return metadata().deleting();
    }
}
