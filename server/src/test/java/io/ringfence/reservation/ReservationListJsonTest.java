package io.ringfence.reservation;

import static io.ringfence.testkit.Fixtures.DEMO_ORG;
import static io.ringfence.testkit.Fixtures.DOCS_REGION;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.contract.model.ReservationV2Read;
import io.ringfence.fleet.HostShape;
import io.ringfence.fleet.UnitType;
import io.ringfence.resource.ProvisioningStatus;
import io.ringfence.resource.ResourceMetadata;
import io.ringfence.resource.ResourceTag;
import io.ringfence.support.Reservations;
import io.ringfence.storage.RowFeed;
import io.ringfence.support.RingfenceTestBase;
import io.ringfence.testkit.RawHttp;
import java.io.StringWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The streamed reservation list is the list Jackson writes for the models of the same records: same bytes, for
 * records with every optional field present and absent, and over HTTP against the single-reservation answers.
 */
class ReservationListJsonTest extends RingfenceTestBase {

    static final String PROJECT = "list-json-project";
    static final HostShape ARM = new HostShape(144, 960, 0, "aarch64", new HostShape.Gpu("NVIDIA", "GB300", 4, 4, 288));
    static final HostShape X86 = new HostShape(64, 512, 3840, "x86_64", new HostShape.Gpu("AMD", "MI300X", 8, 16, 192));
    static final UnitType NVL72 = new UnitType(1, "region-1", "GB300", "NVL72", "g.72.gb300.pinned", "GB300_HOST", 18,
            ARM);
    static final UnitType MI = new UnitType(2, "region-2", "MI300X", "x8", "g.8.mi300x", "MI300X_HOST", 1, X86);

    @Autowired
    JsonMapper json;
    @Autowired
    ReservationListConverter converter;
    @Autowired
    ReservationReadConverter single;
    @Autowired
    RequestMappingHandlerAdapter mvc;

    final List<String> created = new ArrayList<>();

    @BeforeAll
    void createReservations() {
        identity.placeProjects(DEMO_ORG, PROJECT);
        String token = demoToken();
        String now = Reservations.body("now", DEMO_ORG, PROJECT, DOCS_REGION, 1,
                        List.of(new String[] {"team", "ml"}, new String[] {"tier", "gold \\\"quoted\\\" \u00e9"}))
                .replace("\"name\":\"now\"", "\"name\":\"now\",\"description\":\"for the big run, \\\"line\\\" two \u00e9\"");
        Instant start = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        String later = Reservations.body("later", DEMO_ORG, PROJECT, DOCS_REGION, 1, List.of())
                .replace("\"count\":1", "\"count\":1,\"startTime\":\"" + start + "\",\"endTime\":\""
                        + start.plus(2, ChronoUnit.HOURS) + "\"");
        created.add(Reservations.create(api, token, now).get("metadata").get("id").asString());
        created.add(Reservations.create(api, token, later).get("metadata").get("id").asString());
        Reservations.awaitStatus(api, token, created.get(0), "provisioned");
    }

    @AfterAll
    void deleteReservations() {
        for (String id : created) {
            Reservations.deleteIfPresent(api, demoToken(), id);
        }
    }

    static ResourceMetadata metadata(String id, String description, List<ResourceTag> tags, String modifiedBy,
                                     Instant modified, Instant deleted) {
        return new ResourceMetadata(id, "name of " + id, description, tags, "org-a", "project-1", id.endsWith("0") ? null
                : "alice", Instant.parse("2026-04-28T11:04:00.750Z"), modifiedBy, modified, deleted);
    }

    /** Every status, every optional field present and absent, healthy to all hosts down, both host shapes. */
    static List<ReservationRecord> records() {
        List<ReservationRecord> records = new ArrayList<>();
        List<ResourceTag> tags = List.of(new ResourceTag("team", "ml"), new ResourceTag("c\u00f6st", "4\"2\\ \u2603"));
        Instant observed = Instant.parse("2026-04-28T11:06:00.999Z");
        int n = 0;
        for (ProvisioningStatus status : ProvisioningStatus.values()) {
            for (int variant = 0; variant < 6; variant++) {
                String id = "r-" + status.value() + "-" + variant + (n++ % 2);
                boolean scheduled = variant == 1 || variant == 4;
                Instant start = scheduled ? Instant.parse("2027-01-02T03:04:05.5Z") : variant == 2
                        ? Instant.parse("0001-01-01T00:00:00Z") : null;
                Instant end = variant >= 2 ? Instant.parse("2027-01-02T05:00:00Z") : null;
                int units = variant % 3;
                UnitType type = variant % 2 == 0 ? NVL72 : MI;
                int down = switch (variant) {
                    case 3 -> 1;
                    case 4 -> units * type.hostsPerUnit();
                    case 5 -> 2;
                    default -> 0;
                };
                records.add(new ReservationRecord(
                        metadata(id, variant % 2 == 0 ? null : "described " + id, variant == 0 ? List.of() : tags,
                                variant == 5 ? "bob" : null, variant == 5 ? Instant.parse("2026-04-28T11:05:30.000001Z")
                                        : null, variant == 3 ? Instant.parse("2026-12-31T23:59:59.999Z") : null),
                        new ReservationRecord.Spec("region-" + variant, type.accelerator(), type.unit(), units + 1,
                                start, end),
                        new ReservationRecord.Status(status, variant >= 3 ? "message of " + id : null,
                                scheduled ? null : "pod-1", units, scheduled ? null : "sha256:" + id,
                                scheduled ? null : observed, down, variant >= 4 ? "no spare in the pod" : null),
                        type));
            }
        }
        return records;
    }

    String streamed(List<ReservationRecord> records) {
        StringWriter out = new StringWriter();
        try (JsonGenerator gen = json.createGenerator(out)) {
            converter.write(new ReservationListBody(RowFeed.of(records)), gen);
        }
        return out.toString();
    }

    String models(List<ReservationRecord> records) {
        List<ReservationV2Read> reads = records.stream().map(ReservationConversion::toRead).toList();
        return json.writeValueAsString(reads);
    }

    @Test
    void streamedRecordsAreTheBytesOfTheirModels() {
        List<ReservationRecord> records = records();

        String streamed = streamed(records);

        assertThat(streamed).isEqualTo(models(records));
        assertThat(json.readTree(streamed)).isEqualTo(json.readTree(models(records)));
        assertThat(streamed(List.of())).isEqualTo("[]");
    }

    @Test
    void oneReservationsAnswerIsTheBytesOfItsModel() {
        // the records alternate between two host shapes, so the converter's remembered shape changes on every one
        for (ReservationRecord record : records()) {
            ReservationV2Read body = ReservationConversion.toReadBody(record);
            StringWriter out = new StringWriter();
            try (JsonGenerator gen = json.createGenerator(out)) {
                single.write((ReservationReadBody) body, gen);
            }
            String model = json.writeValueAsString(ReservationConversion.toRead(record));

            assertThat(out.toString()).as(record.metadata().id()).isEqualTo(model);
            assertThat(json.writeValueAsString(body)).as("Jackson on the answer itself").isEqualTo(model);
            assertThat(single.canWrite(body.getClass(), MediaType.APPLICATION_JSON)).isTrue();
        }
        assertThat(single.canWrite(ReservationV2Read.class, MediaType.APPLICATION_JSON)).isFalse();
    }

    @Test
    void theListBodyStillReadsAsModels() {
        List<ReservationRecord> records = records();
        ReservationListBody body = new ReservationListBody(RowFeed.of(records));

        assertThat(json.writeValueAsString(new ArrayList<>(body))).isEqualTo(models(records));
        assertThat(body).hasSize(records.size());
    }

    @Test
    void theStreamingConverterComesBeforeJackson() {
        List<HttpMessageConverter<?>> converters = mvc.getMessageConverters();
        int streaming = converters.indexOf(converter);
        int jackson = converters.stream().filter(c -> c.getClass().getName().contains("Jackson")).findFirst()
                .map(converters::indexOf).orElseThrow();

        assertThat(streaming).isNotNegative().isLessThan(jackson);
        assertThat(converters.indexOf(single)).isNotNegative().isLessThan(jackson);
    }

    @Test
    void theListOverHttpIsTheSingleAnswersInIdOrder() {
        String token = demoToken();
        RawHttp.Response list = api.get(token, "/api/v2/reservations?projectID=" + PROJECT);
        assertThat(list.status()).isEqualTo(200);

        List<String> singles = new ArrayList<>();
        for (JsonNode item : list.json()) {
            RawHttp.Response single = api.get(token, "/api/v2/reservations/" + item.get("metadata").get("id").asString());
            assertThat(single.status()).isEqualTo(200);
            singles.add(single.text());
        }

        assertThat(singles).hasSize(2);
        assertThat(list.text()).isEqualTo("[" + String.join(",", singles) + "]");
        assertThat(list.header("Content-Type")).isEqualTo(
                api.get(token, "/api/v2/reservations/" + created.get(0)).header("Content-Type"));
        assertThat(list.json().get(0).get("metadata").get("id").asString())
                .isLessThan(list.json().get(1).get("metadata").get("id").asString());
    }
}
