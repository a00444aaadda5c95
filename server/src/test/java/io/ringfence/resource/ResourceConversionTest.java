package io.ringfence.resource;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.contract.model.ProjectScopedResourceReadMetadata;
import io.ringfence.contract.model.ResourceProvisioningStatus;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Metadata, status and times of every resource on the wire. */
class ResourceConversionTest {

    @ParameterizedTest
    @CsvSource({
            "2026-04-28T11:04:00Z, 2026-04-28T11:04:00Z",
            "2026-04-28T11:04:00.999999999Z, 2026-04-28T11:04:00Z",
            "2026-04-28T11:04:59.5Z, 2026-04-28T11:04:59Z",
            "2026-12-31T23:59:59.999Z, 2026-12-31T23:59:59Z",
            "1969-12-31T23:59:59.5Z, 1969-12-31T23:59:59Z"})
    void timesAreWholeSecondsInUtc(Instant instant, String expected) {
        OffsetDateTime time = ResourceConversion.time(instant);

        assertThat(time).isEqualTo(OffsetDateTime.parse(expected));
        assertThat(time.getOffset()).isEqualTo(ZoneOffset.UTC);
        assertThat(time.getNano()).isZero();
    }

    @Test
    void noTimeIsNoTime() {
        assertThat(ResourceConversion.time(null)).isNull();
        assertThat(ResourceConversion.timeText(null)).isNull();
    }

    /** The hand-written text of a time is the formatter's (Jackson's for OffsetDateTime), in every year. */
    @Test
    void timeTextIsTheIsoTextOfTheTime() {
        SplittableRandom random = new java.util.SplittableRandom(42);
        List<Instant> instants = new ArrayList<>(List.of(Instant.parse("2026-04-28T11:04:00.750Z"),
                Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999Z"),
                Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("-0001-12-31T23:59:59.5Z"),
                Instant.parse("1969-12-31T23:59:59.5Z"), Instant.parse("2024-02-29T00:00:00Z"), Instant.EPOCH));
        long min = Instant.parse("-0100-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("+12000-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 20_000; i++) {
            instants.add(Instant.ofEpochSecond(random.nextLong(min, max), random.nextInt(1_000_000_000)));
        }
        for (Instant instant : instants) {
            assertThat(ResourceConversion.timeText(instant)).as(instant.toString())
                    .isEqualTo(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                            ResourceConversion.time(instant)));
        }
    }

    @ParameterizedTest
    @EnumSource(ProvisioningStatus.class)
    void statusesKeepTheirValue(ProvisioningStatus status) {
        ResourceProvisioningStatus wire = ResourceConversion.status(status);
        assertThat(wire.getValue()).isEqualTo(status.value());
        assertThat(wire.name()).isEqualTo(status.name());
        assertThat(ProvisioningStatus.fromValue(status.value())).isSameAs(status);
    }

    @Test
    void metadataCarriesEveryFieldButTheStatus() {
        ResourceMetadata m = new ResourceMetadata("r-1", "training", "for the run",
                List.of(new ResourceTag("team", "ml"), new ResourceTag("tier", "gold")), "org-a", "project-1",
                "alice", Instant.parse("2026-04-28T11:04:00.123Z"), "bob", Instant.parse("2026-04-28T12:00:01.9Z"),
                Instant.parse("2026-04-29T00:00:00.5Z"));

        ProjectScopedResourceReadMetadata wire = ResourceConversion.metadata(m);

        assertThat(wire.getId()).isEqualTo("r-1");
        assertThat(wire.getName()).isEqualTo("training");
        assertThat(wire.getDescription()).isEqualTo("for the run");
        assertThat(wire.getTags()).extracting(t -> t.getName() + "=" + t.getValue()).containsExactly("team=ml", "tier=gold");
        assertThat(wire.getOrganizationId()).isEqualTo("org-a");
        assertThat(wire.getProjectId()).isEqualTo("project-1");
        assertThat(wire.getCreatedBy()).isEqualTo("alice");
        assertThat(wire.getCreationTime()).isEqualTo(OffsetDateTime.parse("2026-04-28T11:04:00Z"));
        assertThat(wire.getModifiedBy()).isEqualTo("bob");
        assertThat(wire.getModifiedTime()).isEqualTo(OffsetDateTime.parse("2026-04-28T12:00:01Z"));
        assertThat(wire.getDeletionTime()).isEqualTo(OffsetDateTime.parse("2026-04-29T00:00:00Z"));
        assertThat(wire.getProvisioningStatus()).isNull();
        assertThat(wire.getHealthStatus()).isNull();
        assertThat(m.deleting()).isTrue();
    }

    @Test
    void aNewResourceHasNoModificationOrDeletion() {
        ResourceMetadata m = ResourceMetadata.created("r-2", "n", null, List.of(), "org-a", "project-1", "alice",
                Instant.parse("2026-04-28T11:04:00Z"));

        ProjectScopedResourceReadMetadata wire = ResourceConversion.metadata(m);

        assertThat(wire.getTags()).isEmpty();
        assertThat(wire.getDescription()).isNull();
        assertThat(wire.getModifiedBy()).isNull();
        assertThat(wire.getModifiedTime()).isNull();
        assertThat(wire.getDeletionTime()).isNull();
        assertThat(m.deleting()).isFalse();
    }
}
