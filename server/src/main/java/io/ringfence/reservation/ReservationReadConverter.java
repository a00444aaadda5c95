package io.ringfence.reservation;

import io.ringfence.fleet.HostShape;
import io.ringfence.platform.WriteOnlyJsonConverter;
import java.io.IOException;
import org.springframework.http.HttpOutputMessage;
import org.springframework.stereotype.Component;
import org.springframework.util.StreamUtils;
import tools.jackson.core.JsonEncoding;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a {@link ReservationReadBody} (one reservation's answer) from its record with the list's writer, so the
 * bytes are the ones Jackson writes for the model ({@code ReservationListJsonTest} holds them to that).
 */
@Component
class ReservationReadConverter extends WriteOnlyJsonConverter<ReservationReadBody> {

    /** A host shape and its JSON: the fleet's unit types share their shape instances, and most fleets have one. */
    private record HostJson(HostShape shape, String json) {
    }

    private final JsonMapper json;
    private final ReservationListConverter list;
    private volatile HostJson lastHost = new HostJson(null, null);

    ReservationReadConverter(JsonMapper json, ReservationListConverter list) {
        super(ReservationReadBody.class);
        this.json = json;
        this.list = list;
    }

    @Override
    protected void writeInternal(ReservationReadBody body, HttpOutputMessage outputMessage) throws IOException {
        // the response's stream stays open, as with Spring's Jackson converter
        try (JsonGenerator gen = json.createGenerator(StreamUtils.nonClosing(outputMessage.getBody()),
                JsonEncoding.UTF8)) {
            write(body, gen);
        }
    }

    void write(ReservationReadBody body, JsonGenerator gen) {
        ReservationRecord r = body.record();
        HostShape shape = r.unitType().host();
        HostJson host = lastHost;
        if (host.shape() != shape) {
            host = new HostJson(shape, list.host(shape));
            lastHost = host;
        }
        list.write(r, host.json(), gen);
    }
}
