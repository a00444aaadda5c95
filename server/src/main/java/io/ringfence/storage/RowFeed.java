package io.ringfence.storage;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Predicate;

/**
 * The rows of one query, in order, as a reader thread hands them over in batches: whoever consumes them can start
 * on the first batch while the rest is still being read. {@link ReadAhead} runs the reader. A failure of the reader
 * is thrown to the consumer where it would have met the next row.
 *
 * <p>Every row read is kept until the feed is dropped, as a list read at once would be, so the reader never waits
 * for the consumer: it holds its database connection no longer than a plain query would, however slowly the rows
 * are consumed.
 */
public final class RowFeed<T> implements Iterable<T> {

    private final Rows<T> rows;
    private final Predicate<? super T> keep;

    RowFeed() {
        this(new Rows<>(), row -> true);
    }

    private RowFeed(Rows<T> rows, Predicate<? super T> keep) {
        this.rows = rows;
        this.keep = keep;
    }

    /** A feed of rows already read. */
    public static <T> RowFeed<T> of(List<T> rows) {
        RowFeed<T> feed = new RowFeed<>();
        feed.publish(rows);
        feed.complete();
        return feed;
    }

    /**
     * For the reader: hands these rows over, after those handed over before. Returns false once the consumer has
     * abandoned the feed, when the reader should stop reading.
     */
    public boolean publish(List<T> batch) {
        return rows.publish(batch);
    }

    void complete() {
        rows.complete();
    }

    void fail(Throwable cause) {
        rows.fail(cause);
    }

    /**
     * The same rows, of which the consumer sees only those {@code keep} allows. The test runs on the consumer's
     * thread, never the reader's: whatever it costs (an access check may ask a remote service) is not paid while
     * the reader holds its connection.
     */
    public RowFeed<T> keeping(Predicate<? super T> keep) {
        Predicate<? super T> before = this.keep;
        return new RowFeed<>(rows, row -> before.test(row) && keep.test(row));
    }

    /** For the consumer: it will read no more, so the reader may stop. */
    public void abandon() {
        rows.abandon();
    }

    /** Waits until the first rows are read, or all of them (there may be none), or the reader failed (thrown). */
    public void awaitStart() {
        rows.batch(0);
    }

    /** Every row, once all are read. */
    public List<T> toList() {
        List<T> all = new ArrayList<>();
        forEach(all::add);
        return all;
    }

    @Override
    public Iterator<T> iterator() {
        return new Iterator<>() {
            private int nextBatch;
            private List<T> current = List.of();
            private int index;
            private T next;

            @Override
            public boolean hasNext() {
                while (next == null) {
                    if (index == current.size()) {
                        List<T> batch = rows.batch(nextBatch);
                        if (batch == null) {
                            return false;
                        }
                        nextBatch++;
                        current = batch;
                        index = 0;
                    } else {
                        T row = current.get(index++);
                        if (keep.test(row)) {
                            next = row;
                        }
                    }
                }
                return true;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                T row = next;
                next = null;
                return row;
            }
        };
    }

    /** What the reader has handed over, shared by a feed and the views {@link #keeping} makes of it. */
    private static final class Rows<T> {

        // guarded by this; a batch never changes once published, so a consumer reads one without the lock
        private final List<List<T>> batches = new ArrayList<>();
        private boolean complete;
        private Throwable failure;
        private boolean abandoned;

        synchronized boolean publish(List<T> batch) {
            if (!batch.isEmpty()) {
                batches.add(List.copyOf(batch));
                notifyAll();
            }
            return !abandoned;
        }

        synchronized void complete() {
            complete = true;
            notifyAll();
        }

        synchronized void fail(Throwable cause) {
            failure = cause;
            notifyAll();
        }

        synchronized void abandon() {
            abandoned = true;
        }

        /** The batch at this position once it is read; null when the rows ended before it. */
        synchronized List<T> batch(int position) {
            boolean interrupted = false;
            try {
                while (true) {
                    if (failure != null) {
                        throw rethrown(failure);
                    }
                    if (position < batches.size()) {
                        return batches.get(position);
                    }
                    if (complete) {
                        return null;
                    }
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        // the reader ends on its own, and soon: keep waiting, leave the interrupt to the caller
                        interrupted = true;
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private static RuntimeException rethrown(Throwable failure) {
            if (failure instanceof RuntimeException e) {
                return e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            return new IllegalStateException("reading rows failed", failure);
        }
    }
}
