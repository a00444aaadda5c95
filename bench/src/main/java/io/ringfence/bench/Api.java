package io.ringfence.bench;

import io.ringfence.client.ApiException;
import io.ringfence.client.JSON;
import io.ringfence.client.model.ReservationUnitV2;
import io.ringfence.client.model.ReservationV2Create;
import io.ringfence.client.model.ReservationV2CreateSpec;
import io.ringfence.client.model.ResourceWriteMetadata;
import io.ringfence.client.model.Tag;
import io.ringfence.testkit.Clients;
import io.ringfence.testkit.Fixtures;
import io.ringfence.testkit.RawHttp;
import io.ringfence.testkit.Tokens;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/**
 * The load tool's view of the Reservation API, shared by all load threads. Setup and checks (the catalog) go
 * through the generated client. The measured calls (create, get, list, delete) go through {@link PlainHttp} with request
 * bodies serialized once from the contract's models: the load threads share the machine's cores with the service,
 * and binding every answer into models would take CPU from the service and lower the very figures being measured.
 */
final class Api {

    /** The answer to one measured call: status, body bytes, and the time to the last byte of the body. */
    record Answer(int status, byte[] body, long nanos) {
        JsonNode json() {
            return RawHttp.json().readTree(body);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /**
         * The number of elements of an answer that is a JSON array, read as a stream: a list of 10,000 is about
         * 10 MB, and a tree of it kept the load tool's collector busy on the cores the next timed list runs on.
         */
        int arraySize() {
            try (JsonParser parser = RawHttp.json().createParser(body)) {
                if (parser.nextToken() != JsonToken.START_ARRAY) {
                    throw new IllegalStateException("the answer is not a JSON array: " + text());
                }
                int size = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    parser.skipChildren();
                    size++;
                }
                if (parser.nextToken() != null) {
                    throw new IllegalStateException("the answer holds more than one JSON array");
                }
                return size;
            }
        }
    }

    private final String base;
    private final PlainHttp http;
    private volatile String token;
    private volatile Clients.Ringfence client;

    Api(String base, int clients) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.http = new PlainHttp(this.base);
    }

    String base() {
        return base;
    }

    /** A fresh client-credentials token of the demo client. */
    void authenticate() {
        token = Tokens.fetch(base, Fixtures.DEMO_CLIENT);
        client = Clients.connect(base, token);
    }

    /** A create request of the demo project, serialized once by the caller and sent many times. */
    static byte[] createBody(String name, String regionId, int count, Map<String, String> tags) {
        ResourceWriteMetadata metadata = new ResourceWriteMetadata().name(name);
        tags.forEach((k, v) -> metadata.addTagsItem(new Tag().name(k).value(v)));
        ReservationV2Create body = new ReservationV2Create().metadata(metadata)
                .spec(new ReservationV2CreateSpec().organizationId(Fixtures.DEMO_ORG).projectId(Fixtures.DEMO_PROJECT)
                        .regionId(regionId).accelerator(Fixtures.ACCELERATOR).unit(Fixtures.UNIT).count(count));
        return JSON.getDefault().getMapper().writeValueAsBytes(body);
    }

    Answer create(byte[] body) {
        return call("POST", "/api/v2/reservations", body);
    }

    Answer get(String id) {
        return call("GET", "/api/v2/reservations/" + id, null);
    }

    Answer delete(String id) {
        return call("DELETE", "/api/v2/reservations/" + id, null);
    }

    /** GET /api/v2/reservations with query items, e.g. ("regionID", r), ("tag", "bench=run"). */
    Answer list(List<Map.Entry<String, String>> query) {
        StringBuilder path = new StringBuilder("/api/v2/reservations");
        char separator = '?';
        for (Map.Entry<String, String> item : query) {
            path.append(separator).append(item.getKey()).append('=')
                    .append(URLEncoder.encode(item.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        return call("GET", path.toString(), null);
    }

    /** The reservation-unit catalog, through the generated client. */
    List<ReservationUnitV2> catalog() {
        try {
            return client.units().listReservationUnits(null, null, null);
        } catch (ApiException e) {
            throw new IllegalStateException("the catalog answered " + e.getCode() + ": " + e.getResponseBody(), e);
        }
    }

    /** One measured call: the time runs from the send to the last byte of the answer's body. */
    private Answer call(String method, String path, byte[] body) {
        long start = System.nanoTime();
        try {
            PlainHttp.Reply reply = http.exchange(method, path, token, "application/json", body);
            return new Answer(reply.status(), reply.body(), reply.lastByteNanos() - start);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(method + " " + path + ": " + e.getMessage(), e);
        }
    }
}
