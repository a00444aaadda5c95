package io.ringfence.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.support.RingfenceTestBase;
import io.ringfence.testkit.RawHttp;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.catalina.connector.Connector;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

/**
 * The connector serves requests with a few request threads, and requests beyond them wait for one instead of
 * being refused.
 */
class RequestThreadsTest extends RingfenceTestBase {

    /** {@code server.tomcat.threads.max} in {@code application.yaml}. */
    static final int REQUEST_THREADS = 32;

    @Autowired
    WebServerApplicationContext context;

    @Test
    void theConnectorHasTheConfiguredRequestThreads() {
        Connector connector = ((TomcatWebServer) context.getWebServer()).getTomcat().getConnector();

        assertThat(connector.getProtocolHandler().getExecutor()).isInstanceOfSatisfying(ThreadPoolExecutor.class,
                executor -> assertThat(executor.getMaximumPoolSize()).isEqualTo(REQUEST_THREADS));
    }

    @Test
    void fourTimesAsManyRequestsAtOnceAreAllAnswered() throws Exception {
        String token = demoToken();
        int requests = 4 * REQUEST_THREADS;
        // one connection per request: the client would otherwise queue them on fewer connections itself
        ExecutorService callers = Executors.newFixedThreadPool(requests);
        try {
            CountDownLatch gate = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                answers.add(callers.submit(() -> {
                    RawHttp own = new RawHttp(api.baseUrl(), HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build());
                    gate.await();
                    // another organization's or a guessed ID: the same 404 as an absent one
                    return own.get(token, "/api/v2/reservations/" + UUID.randomUUID()).status();
                }));
            }
            gate.countDown();
            for (Future<Integer> answer : answers) {
                assertThat(answer.get()).isEqualTo(404);
            }
        } finally {
            callers.shutdownNow();
        }
    }
}
