package io.ringfence.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The load tool's HTTP client against a real HTTP server over real sockets (the JDK's own server, which answers
 * with a length or chunked as asked, and keeps connections alive). The Ringfence service itself is exercised through
 * it by {@link LoadToolTest}.
 */
class PlainHttpTest {

    private HttpServer server;
    private final Set<Object> connectionsSeen = ConcurrentHashMap.newKeySet();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private String start(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/echo", exchange -> {
            connectionsSeen.add(exchange.getRemoteAddress());
            byte[] request = exchange.getRequestBody().readAllBytes();
            String answer = exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization") + " "
                    + exchange.getRequestHeaders().getFirst("Content-Type") + " "
                    + new String(request, StandardCharsets.UTF_8);
            answer(exchange, 202, answer.getBytes(StandardCharsets.UTF_8), false);
        });
        server.createContext("/big", exchange -> {
            byte[] big = new byte[3 * 1024 * 1024 + 17];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) ('a' + i % 26);
            }
            answer(exchange, 200, big, true);
        });
        server.createContext("/short", exchange ->
                answer(exchange, 200, "short, chunked".getBytes(StandardCharsets.UTF_8), true));
        server.createContext("/gone", exchange -> answer(exchange, 404, new byte[0], false));
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, int status, byte[] body, boolean chunked) throws IOException {
        exchange.sendResponseHeaders(status, chunked ? 0 : (body.length == 0 ? -1 : body.length));
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Test
    void sendsMethodPathHeadersAndBodyAndReadsBothLengthAndChunkedAnswers() throws Exception {
        try (PlainHttp http = new PlainHttp(start(0))) {
            PlainHttp.Reply posted = http.exchange("POST", "/echo?x=1", "t0k", "application/json",
                    "{\"é\":1}".getBytes(StandardCharsets.UTF_8));
            assertThat(posted.status()).isEqualTo(202);
            assertThat(posted.text()).isEqualTo("POST /echo?x=1 Bearer t0k application/json {\"é\":1}");
            assertThat(posted.lastByteNanos()).isPositive();

            PlainHttp.Reply big = http.exchange("GET", "/big", null, null, null);
            assertThat(big.status()).isEqualTo(200);
            assertThat(big.body()).hasSize(3 * 1024 * 1024 + 17);
            assertThat(big.body()[big.body().length - 1]).isEqualTo((byte) ('a' + (big.body().length - 1) % 26));
            // a short chunked answer on the same connection, whose chunk buffer the big one grew: exactly its bytes
            PlainHttp.Reply small = http.exchange("GET", "/short", null, null, null);
            assertThat(small.text()).isEqualTo("short, chunked");
            assertThat(big.body()[0]).isEqualTo((byte) 'a');

            PlainHttp.Reply gone = http.exchange("DELETE", "/gone", "t0k", null, null);
            assertThat(gone.status()).isEqualTo(404);
            assertThat(gone.body()).isEmpty();

            for (int i = 0; i < 50; i++) {
                assertThat(http.exchange("GET", "/echo", "t0k", null, null).text()).startsWith("GET /echo Bearer t0k");
            }
            assertThat(connectionsSeen).as("one keep-alive connection for all calls of a thread").hasSize(1);
        }
    }

    @Test
    void aConnectionTheServerDroppedWhileIdleIsReplacedAndTheRequestSentAgain() throws Exception {
        String base = start(0);
        int port = server.getAddress().getPort();
        try (PlainHttp http = new PlainHttp(base)) {
            assertThat(http.exchange("GET", "/echo", null, null, null).status()).isEqualTo(202);
            // the server goes away with the idle connection, and comes back on the same port
            server.stop(0);
            start(port);
            PlainHttp.Reply again = http.exchange("POST", "/echo", "t", "text/plain", "once".getBytes());
            assertThat(again.status()).isEqualTo(202);
            assertThat(again.text()).endsWith("text/plain once");
        }
    }
}
