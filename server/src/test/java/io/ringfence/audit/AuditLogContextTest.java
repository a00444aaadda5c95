package io.ringfence.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ringfence.platform.TraceIdFilter;
import io.ringfence.support.RingfenceTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An audit record written by another thread than its request's (a grouped create's, by the committer) logs its line
 * under the request's trace ID, and the writing thread's own logging context is left as it was.
 */
class AuditLogContextTest extends RingfenceTestBase {

    @Autowired
    AuditLog auditLog;

    final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    final Logger logger = (Logger) LoggerFactory.getLogger("ringfence.audit");

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
    }

    static AuditLog.AuditEvent event(String id, String traceId) {
        return new AuditLog.AuditEvent(null, "audit-context-actor", null, "audit-context-org", "audit-context-project",
                "reservation", id, "create", 202, traceId, null);
    }

    List<String> traceIdsLogged() {
        List<String> traces = new ArrayList<>();
        for (ILoggingEvent line : List.copyOf(lines.list)) {
            if (line.getFormattedMessage().contains("actor=audit-context-actor")) {
                traces.add(line.getMDCPropertyMap().get(TraceIdFilter.MDC_KEY));
            }
        }
        return traces;
    }

    @Test
    void eachLineCarriesItsRequestsTraceIdAndTheThreadsContextIsRestored() throws Exception {
        AtomicReference<String> afterBare = new AtomicReference<>("unset");
        AtomicReference<String> afterOwn = new AtomicReference<>("unset");
        Thread committer = new Thread(() -> {
            auditLog.recordAll(List.of(event("r-1", "trace-one"), event("r-2", "trace-two"), event("r-3", null)));
            afterBare.set(MDC.get(TraceIdFilter.MDC_KEY));
            MDC.put(TraceIdFilter.MDC_KEY, "trace-own");
            auditLog.recordAll(List.of(event("r-4", "trace-four"), event("r-5", "trace-own")));
            afterOwn.set(MDC.get(TraceIdFilter.MDC_KEY));
            MDC.clear();
        });
        committer.start();
        committer.join();

        assertThat(traceIdsLogged()).containsExactly("trace-one", "trace-two", null, "trace-four", "trace-own");
        assertThat(afterBare.get()).isNull();
        assertThat(afterOwn.get()).isEqualTo("trace-own");
    }
}
