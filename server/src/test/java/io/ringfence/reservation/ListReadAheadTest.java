package io.ringfence.reservation;

import static io.ringfence.testkit.Fixtures.DEMO_ORG;
import static io.ringfence.testkit.RawHttp.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.support.RingfenceTestBase;
import io.ringfence.testkit.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A long list is written while it is still being read ({@link ReservationStore#listAhead}): it arrives whole and in
 * order across the reader's batches, and when the reading fails part-way, after the answer has started, the client
 * sees a broken answer, never a shorter list that looks complete. The failure is real: one stored row the service
 * cannot read (its tags hold a number where a tag belongs), written straight into the table, as a damaged row would be.
 */
class ListReadAheadTest extends RingfenceTestBase {

    static final String PROJECT = "read-ahead-project";
    /** Holds one damaged row and nothing else. */
    static final String DAMAGED_PROJECT = "read-ahead-damaged";
    static final String TAG = "read-ahead";
    static final int ROWS = 1000;
    /** Past the first batches, so the answer has started when the reader meets it. */
    static final int DAMAGED = 900;

    @Autowired
    JdbcClient jdbc;

    @BeforeAll
    void writeRows() {
        identity.placeProjects(DEMO_ORG, PROJECT, DAMAGED_PROJECT);
        insert(PROJECT, ROWS, DAMAGED);
        insert(DAMAGED_PROJECT, 1, 1);
    }

    /** Rows 1..rows of a project, ids in answer order; the damaged one has a number among its tags. */
    private void insert(String project, int rows, int damaged) {
        StoredReservations.insert(jdbc, DEMO_ORG, rows,
                new StoredReservations.Sql("? || '-' || lpad(i::text, 4, '0')", project),
                new StoredReservations.Sql("""
                        CASE WHEN i = ? THEN jsonb_build_array(jsonb_build_object('name', 'set', 'value', ?), 7)
                             ELSE jsonb_build_array(jsonb_build_object('name', 'set', 'value', ?),
                                                    jsonb_build_object('name', 'part', 'value', 'readable')) END""",
                        damaged, TAG, TAG),
                new StoredReservations.Sql("?", project));
    }

    @AfterAll
    void deleteRows() {
        jdbc.sql("DELETE FROM reservation WHERE organization_id = ? AND project_id IN (?, ?)")
                .params(DEMO_ORG, PROJECT, DAMAGED_PROJECT).update();
    }

    @Test
    void aListOfManyBatchesArrivesWholeAndInAnswerOrder() {
        RawHttp.Response list = api.get(demoToken(), "/api/v2/reservations?" + query("tag", "part=readable")
                + "&projectID=" + PROJECT);
        assertThat(list.status()).isEqualTo(200);
        List<String> ids = list.json().valueStream().map(r -> r.get("metadata").get("id").asString()).toList();
        assertThat(ids).isEqualTo(IntStream.rangeClosed(1, ROWS).filter(i -> i != DAMAGED)
                .mapToObj(i -> PROJECT + "-%04d".formatted(i)).toList());
        assertThat(ROWS - 1).isGreaterThan(3 * ReservationStore.READ_AHEAD);
    }

    @Test
    void aRowThatCannotBeReadBeforeTheAnswerStartsGetsTheContractsErrorBody() {
        // the damaged row alone: the reader fails on its first row, before anything is written
        RawHttp.Response damaged = api.get(demoToken(), "/api/v2/reservations?projectID=" + DAMAGED_PROJECT);
        assertThat(damaged.status()).isEqualTo(500);
        JsonNode error = damaged.json();
        assertThat(error.get("error").asString()).isEqualTo("server_error");
        assertThat(damaged.text()).doesNotContain("Exception").doesNotContain(DAMAGED_PROJECT);
    }

    @Test
    void aRowThatCannotBeReadAfterTheAnswerStartedCutsTheConnection() throws IOException {
        String complete = rawGet("/api/v2/reservations?" + query("tag", "part=readable") + "&projectID=" + PROJECT);
        assertThat(complete).startsWith("HTTP/1.1 200").endsWith("\r\n0\r\n\r\n");

        String cut = rawGet("/api/v2/reservations?" + query("tag", "set=" + TAG) + "&projectID=" + PROJECT);
        assertThat(cut).startsWith("HTTP/1.1 200").contains(PROJECT + "-0001");
        // no last chunk: the connection closed in the middle of the answer, and the JSON array was never closed
        assertThat(cut).doesNotEndWith("\r\n0\r\n\r\n").doesNotContain(PROJECT + "-%04d".formatted(DAMAGED));
        assertThat(cut.stripTrailing()).doesNotEndWith("]");
    }

    /** Everything the service sends for a GET, read until it closes the connection. */
    private String rawGet(String path) throws IOException {
        try (Socket socket = new Socket("localhost", PORT)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + demoToken()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
