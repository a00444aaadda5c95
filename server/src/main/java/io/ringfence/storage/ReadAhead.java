package io.ringfence.storage;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Reads a long query on a reader thread while the request thread writes out the rows already read. Serially, a
 * list of 10,000 reservations is first read whole (PostgreSQL scanning and sending, the driver decoding) and then
 * written whole (the JSON, the socket); on two or more cores the two halves overlap, which takes most of the
 * shorter half off the answer's time.
 *
 * <p>The readers are few: a list that finds them all busy is read on its own thread, whole, before it is written,
 * as it would be without them. A reader runs its own transaction, so a read ahead never sees the caller's
 * uncommitted writes; whoever needs those reads on its own thread.
 */
@Component
public class ReadAhead implements DisposableBean {

    /** Readers at once: lists that long are rare, and each reader holds a database connection while it reads. */
    static final int READERS = 2;

    private final ThreadPoolExecutor readers;

    public ReadAhead() {
        AtomicInteger number = new AtomicInteger();
        // no queue: a list either gets a reader now or reads on its own thread, it never waits for one
        readers = new ThreadPoolExecutor(0, READERS, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
            Thread reader = new Thread(task, "read-ahead-" + number.incrementAndGet());
            reader.setDaemon(true);
            return reader;
        });
    }

    /**
     * Starts {@code read}, which hands its rows to the feed in batches, and returns the feed once its first rows
     * are there (or all of them, or the reader's failure, thrown here), so that a query that fails at once fails
     * the caller before it has written anything.
     */
    public <T> RowFeed<T> read(Consumer<RowFeed<T>> read) {
        RowFeed<T> feed = new RowFeed<>();
        Runnable reader = () -> {
            try {
                read.accept(feed);
                feed.complete();
            } catch (Throwable e) {
                feed.fail(e);
            }
        };
        try {
            readers.execute(reader);
        } catch (RejectedExecutionException busy) {
            reader.run();
        }
        feed.awaitStart();
        return feed;
    }

    @Override
    public void destroy() {
        readers.shutdown();
    }
}
