package io.ringfence.resource;

import io.ringfence.error.ApiException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** What every project-scoped resource records about itself, as stored. */
public record ResourceMetadata(String id, String name, String description, List<ResourceTag> tags,
                               String organizationId, String projectId, String createdBy, Instant creationTime,
                               String modifiedBy, Instant modifiedTime, Instant deletionTime) {

    private static final TypeReference<List<ResourceTag>> TAG_LIST = new TypeReference<>() {
    };

    /** The longest description a client may give a resource, in characters. */
    public static final int MAX_DESCRIPTION_LENGTH = 1024;

    public ResourceMetadata {
        tags = List.copyOf(tags);
    }

    /** A resource about to be written: created now by {@code createdBy}, never modified yet. */
    public static ResourceMetadata created(String id, String name, String description, List<ResourceTag> tags,
                                           String organizationId, String projectId, String createdBy, Instant now) {
        return new ResourceMetadata(id, name, description, tags, organizationId, projectId, createdBy, now, null,
                null, null);
    }

    /**
     * Reads the metadata columns every resource table has ({@code id, name, description, tags::text AS tags,
     * organization_id, project_id, created_by, creation_time, modified_by, modified_time, deletion_time}).
     */
    public static ResourceMetadata read(ResultSet rs, JsonMapper json) throws SQLException {
        return new ResourceMetadata(rs.getString("id"), rs.getString("name"), rs.getString("description"),
                json.readValue(rs.getString("tags"), TAG_LIST), rs.getString("organization_id"),
                rs.getString("project_id"), rs.getString("created_by"), instant(rs, "creation_time"),
                rs.getString("modified_by"), instant(rs, "modified_time"), instant(rs, "deletion_time"));
    }

    /** The description of a create request (none is fine): at most {@value #MAX_DESCRIPTION_LENGTH} characters, or 400. */
    public static String requireDescription(String description) {
        if (description != null && description.length() > MAX_DESCRIPTION_LENGTH) {
            throw ApiException.badRequest("request body invalid: metadata.description must be at most "
                    + MAX_DESCRIPTION_LENGTH + " characters");
        }
        return description;
    }

    public boolean deleting() {
        return deletionTime != null;
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
