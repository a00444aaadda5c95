package io.ringfence.platform;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The console's lines go through one writer thread, all of them, in order, with their logging context. */
class AsyncConsoleLogTest {

    /** A console that writes slowly until released, as a pipe whose reader lags. */
    static final class SlowConsole extends AppenderBase<ILoggingEvent> {
        final List<String> written = new CopyOnWriteArrayList<>();
        final CountDownLatch released = new CountDownLatch(1);
        volatile String writerThread;

        @Override
        protected void append(ILoggingEvent event) {
            try {
                released.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            writerThread = Thread.currentThread().getName();
            written.add(event.getFormattedMessage() + " trace=" + event.getMDCPropertyMap().get("trace_id"));
        }
    }

    static LoggerContext contextWithConsole(SlowConsole console) {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter()); // the one slf4j's MDC writes to
        console.setContext(context);
        console.setName(AsyncConsoleLog.CONSOLE);
        console.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(console);
        return context;
    }

    @Test
    void aStalledConsoleNoLongerHoldsUpTheThreadThatLogs() throws Exception {
        SlowConsole console = new SlowConsole();
        LoggerContext context = contextWithConsole(console);
        AsyncConsoleLog.wrapConsole(context);
        AsyncConsoleLog.wrapConsole(context); // a second set-up finds the console already queued
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getAppender(AsyncConsoleLog.CONSOLE)).isNull();
        assertThat(root.getAppender(AsyncConsoleLog.ASYNC_CONSOLE)).isNotNull();

        Logger requests = context.getLogger("ringfence.requests");
        MDC.put("trace_id", "t-1");
        try {
            // the console is stalled: with the lines written in place, the first call would not return
            for (int i = 0; i < 1_000; i++) {
                requests.info("request {}", i);
            }
        } finally {
            MDC.remove("trace_id");
        }
        assertThat(console.written).isEmpty();

        console.released.countDown();
        context.stop(); // drains the queue
        assertThat(console.written).hasSize(1_000);
        assertThat(console.written.get(0)).isEqualTo("request 0 trace=t-1");
        assertThat(console.written.get(999)).isEqualTo("request 999 trace=t-1");
        assertThat(console.writerThread).isNotEqualTo(Thread.currentThread().getName());
    }

    @Test
    void aFullQueueMakesTheLoggerWaitRatherThanDropInfoLines() throws Exception {
        SlowConsole console = new SlowConsole();
        LoggerContext context = contextWithConsole(console);
        AsyncConsoleLog.wrapConsole(context);
        Logger audit = context.getLogger("ringfence.audit");
        // the writer takes all the queued lines it finds at once (up to a queue's worth) before writing the first, so
        // past twice the queue's size the logger must have waited
        int lines = 2 * AsyncConsoleLog.QUEUE_SIZE + 500;

        Thread logging = new Thread(() -> {
            for (int i = 0; i < lines; i++) {
                audit.info("audit {}", i);
            }
        });
        logging.start();
        logging.join(2_000);
        assertThat(logging.isAlive()).as("the logger waits once the queue is full").isTrue();

        console.released.countDown();
        logging.join(30_000);
        context.stop();
        assertThat(console.written).hasSize(lines);
    }
}
