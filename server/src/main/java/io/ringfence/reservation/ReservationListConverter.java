package io.ringfence.reservation;

import io.ringfence.fleet.FleetConversion;
import io.ringfence.fleet.HostShape;
import io.ringfence.resource.ResourceConversion;
import io.ringfence.resource.ResourceMetadata;
import io.ringfence.resource.ResourceTag;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractHttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.stereotype.Component;
import tools.jackson.core.JsonEncoding;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a {@link ReservationListBody} as the JSON array Jackson would write for its models, field for field, but
 * straight from the records with one {@link JsonGenerator}: bean serialization of 10,000 models was most of a large
 * list's time. Registered as a bean, so Spring puts it ahead of Jackson's converter; it claims exactly that class and
 * nothing else. What is derived (health, provisioning detail) comes from {@link ReservationConversion}, times from
 * {@link ResourceConversion#timeText}, the host shape from {@link FleetConversion#host} serialized by the service's
 * own mapper; properties are in Jackson's order and omitted when null ({@code non_null}).
 * {@code ReservationListJsonTest} holds the two writers to the same bytes.
 */
@Component
class ReservationListConverter extends AbstractHttpMessageConverter<ReservationListBody> {

    /** A fleet has a handful of host shapes; bounded anyway, in case manifests keep changing them. */
    private static final int HOSTS_MAX = 256;

    private final JsonMapper json;
    private final Map<HostShape, String> hosts = new ConcurrentHashMap<>();

    ReservationListConverter(JsonMapper json) {
        super(MediaType.APPLICATION_JSON);
        this.json = json;
    }

    @Override
    protected boolean supports(Class<?> clazz) {
        return clazz == ReservationListBody.class;
    }

    @Override
    public boolean canRead(Class<?> clazz, MediaType mediaType) {
        return false;
    }

    @Override
    protected ReservationListBody readInternal(Class<? extends ReservationListBody> clazz,
                                               HttpInputMessage inputMessage) {
        throw new HttpMessageNotReadableException("a reservation list is never read", inputMessage);
    }

    @Override
    protected void writeInternal(ReservationListBody body, HttpOutputMessage outputMessage) throws java.io.IOException {
        try (JsonGenerator gen = json.createGenerator(outputMessage.getBody(), JsonEncoding.UTF8)) {
            write(body, gen);
        }
    }

    void write(ReservationListBody body, JsonGenerator gen) {
        gen.writeStartArray();
        for (ReservationRecord r : body.records()) {
            write(r, gen);
        }
        gen.writeEndArray();
    }

    private void write(ReservationRecord r, JsonGenerator gen) {
        ResourceMetadata m = r.metadata();
        ReservationRecord.Status s = r.status();
        ReservationRecord.Spec spec = r.spec();
        ReservationConversion.Health health = ReservationConversion.health(r);
        ReservationConversion.Detail provisioning = ReservationConversion.provisioning(r);
        gen.writeStartObject();

        // Jackson's order: the properties of the model's constructor first, in its order, then the others
        // alphabetically (MapperFeature.SORT_CREATOR_PROPERTIES_FIRST and SORT_PROPERTIES_ALPHABETICALLY)
        gen.writeName("metadata");
        gen.writeStartObject();
        string(gen, "id", m.id());
        string(gen, "name", m.name());
        string(gen, "creationTime", ResourceConversion.timeText(m.creationTime()));
        string(gen, "provisioningStatus", ResourceConversion.status(s.provisioningStatus()).getValue());
        string(gen, "healthStatus", health.status().getValue());
        string(gen, "organizationId", m.organizationId());
        string(gen, "projectId", m.projectId());
        string(gen, "createdBy", m.createdBy());
        string(gen, "deletionTime", ResourceConversion.timeText(m.deletionTime()));
        string(gen, "description", m.description());
        gen.writeName("healthStatusDetail");
        detail(gen, health.reason().getValue(), health.message());
        string(gen, "modifiedBy", m.modifiedBy());
        string(gen, "modifiedTime", ResourceConversion.timeText(m.modifiedTime()));
        gen.writeName("provisioningStatusDetail");
        detail(gen, provisioning.reason().getValue(), provisioning.message());
        gen.writeName("tags");
        gen.writeStartArray();
        for (ResourceTag tag : m.tags()) {
            gen.writeStartObject();
            string(gen, "name", tag.name());
            string(gen, "value", tag.value());
            gen.writeEndObject();
        }
        gen.writeEndArray();
        gen.writeEndObject();

        gen.writeName("spec");
        gen.writeStartObject();
        string(gen, "regionId", spec.regionId());
        string(gen, "accelerator", spec.accelerator());
        string(gen, "unit", spec.unit());
        gen.writeNumberProperty("count", spec.count());
        string(gen, "endTime", ResourceConversion.timeText(spec.endTime()));
        string(gen, "startTime", ResourceConversion.timeText(spec.startTime()));
        gen.writeEndObject();

        gen.writeName("status");
        gen.writeStartObject();
        string(gen, "machineFlavorId", r.unitType().machineFlavorId());
        gen.writeNumberProperty("claimedUnitCount", s.claimedUnitCount());
        gen.writeName("host");
        gen.writeRawValue(host(r.unitType().host()));
        string(gen, "topologyHash", s.topologyHash());
        string(gen, "topologyObservedAt", ResourceConversion.timeText(s.topologyObservedAt()));
        gen.writeEndObject();

        gen.writeEndObject();
    }

    private static void detail(JsonGenerator gen, String reason, String message) {
        gen.writeStartObject();
        string(gen, "reason", reason);
        string(gen, "message", message);
        gen.writeEndObject();
    }

    /** {@code non_null}: a null is left out, as Jackson leaves out a model's null property. */
    private static void string(JsonGenerator gen, String name, String value) {
        if (value != null) {
            gen.writeStringProperty(name, value);
        }
    }

    /** The host shape as the model serializes it, once per shape: every reservation of a unit type has the same. */
    private String host(HostShape shape) {
        String text = hosts.get(shape);
        if (text == null) {
            text = json.writeValueAsString(FleetConversion.host(shape));
            if (hosts.size() >= HOSTS_MAX) {
                hosts.clear();
            }
            hosts.put(shape, text);
        }
        return text;
    }
}
