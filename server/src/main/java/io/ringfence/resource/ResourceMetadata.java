package io.ringfence.resource;

import io.ringfence.error.ApiException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.postgresql.util.PGobject;
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
                tags(rs.getString("tags"), json), rs.getString("organization_id"),
                rs.getString("project_id"), rs.getString("created_by"), instant(rs, "creation_time"),
                rs.getString("modified_by"), instant(rs, "modified_time"), instant(rs, "deletion_time"));
    }

    /**
     * Parsed tag lists by their stored text. A list of thousands of resources reads the same few tag sets over and
     * over, and parsing each row's JSON was most of the list's own CPU time. Bounded: cleared when full, and long
     * texts are never kept.
     */
    private static final Map<String, List<ResourceTag>> PARSED_TAGS = new ConcurrentHashMap<>();
    private static final int PARSED_TAGS_MAX = 4096;
    private static final int PARSED_TAG_TEXT_MAX = 1024;

    static List<ResourceTag> tags(String text, JsonMapper json) {
        List<ResourceTag> tags = PARSED_TAGS.get(text);
        if (tags == null) {
            tags = List.copyOf(json.readValue(text, TAG_LIST));
            if (text.length() <= PARSED_TAG_TEXT_MAX) {
                if (PARSED_TAGS.size() >= PARSED_TAGS_MAX) {
                    PARSED_TAGS.clear();
                }
                PARSED_TAGS.put(text, tags);
            }
        }
        return tags;
    }

    /**
     * The bind value for {@code tags @> ?}: the tags every listed resource must carry, typed {@code jsonb}. Sent as
     * text with a cast instead, a reused prepared statement's plan parsed it again for every row it filtered.
     */
    public static PGobject tagsContaining(List<ResourceTag> tags, JsonMapper json) {
        PGobject value = new PGobject();
        value.setType("jsonb");
        try {
            value.setValue(json.writeValueAsString(tags));
        } catch (SQLException e) {
            throw new IllegalStateException("a jsonb value refused its text", e);
        }
        return value;
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

    /**
     * A {@code timestamptz} column (every time column is one). Read as an {@link OffsetDateTime}, which the driver
     * parses directly; {@code getTimestamp} goes through a {@code Calendar} per value, and was a third of the row
     * mapping of a 10,000-reservation list.
     */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }
}
