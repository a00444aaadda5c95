package io.ringfence.reservation;

import io.ringfence.fleet.FleetConversion;
import io.ringfence.fleet.HostShape;
import io.ringfence.platform.WriteOnlyJsonConverter;
import io.ringfence.resource.ResourceConversion;
import io.ringfence.resource.ResourceMetadata;
import io.ringfence.resource.ResourceTag;
import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.Map;
import org.springframework.http.HttpOutputMessage;
import org.springframework.stereotype.Component;
import org.springframework.util.StreamUtils;
import tools.jackson.core.JsonEncoding;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;
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
class ReservationListConverter extends WriteOnlyJsonConverter<ReservationListBody> {

    // property names encoded once, not on every reservation
    private static final SerializableString ID = new SerializedString("id");
    private static final SerializableString NAME = new SerializedString("name");
    private static final SerializableString CREATION_TIME = new SerializedString("creationTime");
    private static final SerializableString PROVISIONING_STATUS = new SerializedString("provisioningStatus");
    private static final SerializableString HEALTH_STATUS = new SerializedString("healthStatus");
    private static final SerializableString ORGANIZATION_ID = new SerializedString("organizationId");
    private static final SerializableString PROJECT_ID = new SerializedString("projectId");
    private static final SerializableString CREATED_BY = new SerializedString("createdBy");
    private static final SerializableString DELETION_TIME = new SerializedString("deletionTime");
    private static final SerializableString DESCRIPTION = new SerializedString("description");
    private static final SerializableString MODIFIED_BY = new SerializedString("modifiedBy");
    private static final SerializableString MODIFIED_TIME = new SerializedString("modifiedTime");
    private static final SerializableString VALUE = new SerializedString("value");
    private static final SerializableString REGION_ID = new SerializedString("regionId");
    private static final SerializableString ACCELERATOR = new SerializedString("accelerator");
    private static final SerializableString UNIT = new SerializedString("unit");
    private static final SerializableString END_TIME = new SerializedString("endTime");
    private static final SerializableString START_TIME = new SerializedString("startTime");
    private static final SerializableString MACHINE_FLAVOR_ID = new SerializedString("machineFlavorId");
    private static final SerializableString TOPOLOGY_HASH = new SerializedString("topologyHash");
    private static final SerializableString TOPOLOGY_OBSERVED_AT = new SerializedString("topologyObservedAt");
    private static final SerializableString REASON = new SerializedString("reason");
    private static final SerializableString MESSAGE = new SerializedString("message");
    private static final SerializableString METADATA = new SerializedString("metadata");
    private static final SerializableString HEALTH_STATUS_DETAIL = new SerializedString("healthStatusDetail");
    private static final SerializableString PROVISIONING_STATUS_DETAIL = new SerializedString("provisioningStatusDetail");
    private static final SerializableString TAGS = new SerializedString("tags");
    private static final SerializableString SPEC = new SerializedString("spec");
    private static final SerializableString STATUS = new SerializedString("status");
    private static final SerializableString HOST = new SerializedString("host");
    private static final SerializableString COUNT = new SerializedString("count");
    private static final SerializableString CLAIMED_UNIT_COUNT = new SerializedString("claimedUnitCount");

    private final JsonMapper json;

    ReservationListConverter(JsonMapper json) {
        super(ReservationListBody.class);
        this.json = json;
    }

    @Override
    protected void writeInternal(ReservationListBody body, HttpOutputMessage outputMessage) throws IOException {
        try {
            // closed (flushed) only when the whole list is written, and the response's stream not even then, as
            // Spring's Jackson converter does. Rows that fail to arrive leave the array open: closing the generator
            // would close it, and a client would read the rows so far as the whole list. The failure goes on up,
            // and the container cuts the connection (ApiExceptionHandler).
            JsonGenerator gen = json.createGenerator(StreamUtils.nonClosing(outputMessage.getBody()),
                    JsonEncoding.UTF8);
            write(body, gen);
            gen.close();
        } finally {
            // the client may have gone: the reader can stop
            body.records().abandon();
        }
    }

    void write(ReservationListBody body, JsonGenerator gen) {
        // unit types (and their host shapes) are the fleet's cached instances: looked up by identity, a record's
        // hashCode over all its fields would be paid on every reservation; a list meets a few dozen shapes at most
        Map<HostShape, String> hosts = new IdentityHashMap<>();
        gen.writeStartArray();
        for (ReservationRecord r : body.records()) {
            write(r, hosts.computeIfAbsent(r.unitType().host(), this::host), gen);
        }
        gen.writeEndArray();
    }

    /** One reservation, as its model serializes; {@code host} is its unit type's host shape as JSON ({@link #host}). */
    void write(ReservationRecord r, String host, JsonGenerator gen) {
        ResourceMetadata m = r.metadata();
        ReservationRecord.Status s = r.status();
        ReservationRecord.Spec spec = r.spec();
        ReservationConversion.Health health = ReservationConversion.health(r);
        ReservationConversion.Detail provisioning = ReservationConversion.provisioning(r);
        gen.writeStartObject();

        // Jackson's order: the properties of the model's constructor first, in its order, then the others
        // alphabetically (MapperFeature.SORT_CREATOR_PROPERTIES_FIRST and SORT_PROPERTIES_ALPHABETICALLY)
        gen.writeName(METADATA);
        gen.writeStartObject();
        string(gen, ID, m.id());
        string(gen, NAME, m.name());
        string(gen, CREATION_TIME, ResourceConversion.timeText(m.creationTime()));
        string(gen, PROVISIONING_STATUS, ResourceConversion.status(s.provisioningStatus()).getValue());
        string(gen, HEALTH_STATUS, health.status().getValue());
        string(gen, ORGANIZATION_ID, m.organizationId());
        string(gen, PROJECT_ID, m.projectId());
        string(gen, CREATED_BY, m.createdBy());
        string(gen, DELETION_TIME, ResourceConversion.timeText(m.deletionTime()));
        string(gen, DESCRIPTION, m.description());
        gen.writeName(HEALTH_STATUS_DETAIL);
        detail(gen, health.reason().getValue(), health.message());
        string(gen, MODIFIED_BY, m.modifiedBy());
        string(gen, MODIFIED_TIME, ResourceConversion.timeText(m.modifiedTime()));
        gen.writeName(PROVISIONING_STATUS_DETAIL);
        detail(gen, provisioning.reason().getValue(), provisioning.message());
        gen.writeName(TAGS);
        gen.writeStartArray();
        for (ResourceTag tag : m.tags()) {
            gen.writeStartObject();
            string(gen, NAME, tag.name());
            string(gen, VALUE, tag.value());
            gen.writeEndObject();
        }
        gen.writeEndArray();
        gen.writeEndObject();

        gen.writeName(SPEC);
        gen.writeStartObject();
        string(gen, REGION_ID, spec.regionId());
        string(gen, ACCELERATOR, spec.accelerator());
        string(gen, UNIT, spec.unit());
        gen.writeName(COUNT);
        gen.writeNumber(spec.count());
        string(gen, END_TIME, ResourceConversion.timeText(spec.endTime()));
        string(gen, START_TIME, ResourceConversion.timeText(spec.startTime()));
        gen.writeEndObject();

        gen.writeName(STATUS);
        gen.writeStartObject();
        string(gen, MACHINE_FLAVOR_ID, r.unitType().machineFlavorId());
        gen.writeName(CLAIMED_UNIT_COUNT);
        gen.writeNumber(s.claimedUnitCount());
        gen.writeName(HOST);
        gen.writeRawValue(host);
        string(gen, TOPOLOGY_HASH, s.topologyHash());
        string(gen, TOPOLOGY_OBSERVED_AT, ResourceConversion.timeText(s.topologyObservedAt()));
        gen.writeEndObject();

        gen.writeEndObject();
    }

    private static void detail(JsonGenerator gen, String reason, String message) {
        gen.writeStartObject();
        string(gen, REASON, reason);
        string(gen, MESSAGE, message);
        gen.writeEndObject();
    }

    /** {@code non_null}: a null is left out, as Jackson leaves out a model's null property. */
    private static void string(JsonGenerator gen, SerializableString name, String value) {
        if (value != null) {
            gen.writeName(name);
            gen.writeString(value);
        }
    }

    /** The host shape as the model serializes it: every reservation of a unit type has the same. */
    String host(HostShape shape) {
        return json.writeValueAsString(FleetConversion.host(shape));
    }
}
