package io.ringfence.platform;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Hands the console's log lines to one writer thread instead of writing them on the thread that logs.
 *
 * <p>Every request logs a line and every create an audit line. Written in place, each line takes the console
 * appender's lock for the write to standard output, so a write that waits (a pipe whose reader lags, a log file on a
 * disk busy with the database's flushes) holds up every request thread behind it. Measured under the load tool's
 * open loop, request threads spent most of a stall of several seconds parked on that lock, with PostgreSQL idle.
 * Queued, a slow write delays only the lines after it.
 *
 * <p>No line is dropped: when the queue is full, the logging thread waits, as it did before, so an operator never
 * loses request or audit lines silently. The queue holds several seconds of lines at the load tool's rates, which
 * covers the pauses measured. The writer drains the queue when logging stops (at shutdown). Registered in
 * {@code META-INF/spring.factories} so that it applies wherever Spring Boot sets up the logging; it runs right
 * after Boot has (re)configured it.
 */
public class AsyncConsoleLog implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

    /** Boot's name for its console appender. */
    static final String CONSOLE = "CONSOLE";
    static final String ASYNC_CONSOLE = "ASYNC_CONSOLE";
    /** Lines the writer may fall behind by before a logging thread waits: seconds of lines at 1,000 requests/s. */
    static final int QUEUE_SIZE = 16_384;

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context) {
            wrapConsole(context);
        }
    }

    /**
     * Moves the root logger's console appender behind a queue, and has structured (JSON) lines built as strings
     * ({@link StructuredLineEncoder}). Does nothing when there is no console appender (Boot configured none, or it is
     * already queued).
     */
    static void wrapConsole(LoggerContext context) {
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Appender<ILoggingEvent> console = root.getAppender(CONSOLE);
        if (console == null) {
            return;
        }
        if (console instanceof OutputStreamAppender<ILoggingEvent> stream
                && stream.getEncoder() instanceof StructuredLogEncoder boots) {
            StructuredLineEncoder.replacing(boots).ifPresent(stream::setEncoder);
        }
        AsyncAppender queued = new AsyncAppender();
        queued.setContext(context);
        queued.setName(ASYNC_CONSOLE);
        queued.setQueueSize(QUEUE_SIZE);
        // by default it throws away INFO lines and below once the queue is 80% full: request and audit lines are INFO
        queued.setDiscardingThreshold(0);
        queued.setNeverBlock(false);
        queued.setMaxFlushTime(5_000);
        queued.addAppender(console);
        queued.start();
        root.addAppender(queued);
        root.detachAppender(console);
    }

    @Override
    public int getOrder() {
        return LoggingApplicationListener.DEFAULT_ORDER + 1;
    }
}
