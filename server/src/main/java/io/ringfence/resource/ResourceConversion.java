package io.ringfence.resource;

import io.ringfence.contract.model.ProjectScopedResourceReadMetadata;
import io.ringfence.contract.model.ResourceProvisioningStatus;
import java.time.Instant;
import java.time.LocalDateTime;
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
     * without building models; a test holds the two to the same text. Whole seconds in UTC of a four-digit year are
     * written by hand: a list of 10,000 reservations formats tens of thousands of times, and the general formatter
     * is slow by comparison.
     */
    public static String timeText(Instant instant) {
        if (instant == null) {
            return null;
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        int year = t.getYear();
        if (year < 0 || year > 9999) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time(instant));
        }
        char[] text = new char[20];
        digits(text, 0, year / 100);
        digits(text, 2, year % 100);
        text[4] = '-';
        digits(text, 5, t.getMonthValue());
        text[7] = '-';
        digits(text, 8, t.getDayOfMonth());
        text[10] = 'T';
        digits(text, 11, t.getHour());
        text[13] = ':';
        digits(text, 14, t.getMinute());
        text[16] = ':';
        digits(text, 17, t.getSecond());
        text[19] = 'Z';
        return new String(text);
    }

    private static void digits(char[] text, int at, int value) {
        text[at] = (char) ('0' + value / 10);
        text[at + 1] = (char) ('0' + value % 10);
    }
}
