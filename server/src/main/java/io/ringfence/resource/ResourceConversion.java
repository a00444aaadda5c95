package io.ringfence.resource;

import io.ringfence.contract.model.ProjectScopedResourceReadMetadata;
import io.ringfence.contract.model.ResourceProvisioningStatus;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** The wire form of what every resource shares: its metadata, its status and its times (whole seconds, UTC). */
public final class ResourceConversion {

    private ResourceConversion() {
    }

    /** Metadata without the status fields, which each resource derives in its own conversion. */
    public static ProjectScopedResourceReadMetadata metadata(ResourceMetadata m) {
        return new ProjectScopedResourceReadMetadata()
                .id(m.id())
                .name(m.name())
                .description(m.description())
                .tags(m.tags().stream().map(ResourceTag::toWire).toList())
                .creationTime(time(m.creationTime()))
                .createdBy(m.createdBy())
                .modifiedTime(time(m.modifiedTime()))
                .modifiedBy(m.modifiedBy())
                .deletionTime(time(m.deletionTime()))
                .organizationId(m.organizationId())
                .projectId(m.projectId());
    }

    public static ResourceProvisioningStatus status(ProvisioningStatus status) {
        return ResourceProvisioningStatus.fromValue(status.value());
    }

    public static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC);
    }

    /**
     * {@link #time} as the JSON of a model carries it: Jackson writes an {@link OffsetDateTime} with
     * {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} ({@code 2026-04-28T11:04:00Z}). For writers that stream JSON
     * without building models; a test holds the two to the same text.
     */
    public static String timeText(Instant instant) {
        return instant == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time(instant));
    }
}
