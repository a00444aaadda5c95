package io.ringfence.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link ReadAhead} and {@link RowFeed}: rows handed from a reader thread to a consumer, in order, as they come. */
class ReadAheadTest {

    private final ReadAhead readAhead = new ReadAhead();

    @AfterEach
    void stop() {
        readAhead.destroy();
    }

    @Test
    void theConsumerStartsOnTheFirstRowsWhileTheReaderIsStillReading() throws Exception {
        CountDownLatch consumerHasFirstRows = new CountDownLatch(1);
        RowFeed<Integer> feed = readAhead.read(rows -> {
            rows.publish(List.of(1, 2));
            await(consumerHasFirstRows);
            rows.publish(List.of(3));
        });

        var iterator = feed.iterator();
        assertThat(iterator.next()).isEqualTo(1);
        assertThat(iterator.next()).isEqualTo(2);
        // had the reader to finish first, this would never be reached: it waits for the consumer
        consumerHasFirstRows.countDown();
        assertThat(iterator.next()).isEqualTo(3);
        assertThat(iterator.hasNext()).isFalse();
    }

    @Test
    void rowsPublishedConcurrentlyArriveWholeAndInOrder() {
        List<Integer> expected = IntStream.range(0, 100_000).boxed().toList();
        RowFeed<Integer> feed = readAhead.read(rows -> {
            for (int from = 0; from < expected.size(); from += 97) {
                List<Integer> batch = new ArrayList<>(expected.subList(from, Math.min(from + 97, expected.size())));
                rows.publish(batch);
                batch.clear(); // a reader may reuse its batch: the feed kept a copy
            }
        });

        List<Integer> seen = new ArrayList<>();
        feed.forEach(seen::add);
        assertThat(seen).isEqualTo(expected);
        assertThat(feed.toList()).as("read again").isEqualTo(expected);
    }

    @Test
    void aReaderThatFailsAtOnceFailsTheCallerBeforeItHasAnyRow() {
        IllegalStateException failure = new IllegalStateException("no connection");
        assertThatThrownBy(() -> readAhead.read(rows -> {
            throw failure;
        })).isSameAs(failure);
    }

    @Test
    void aReaderThatFailsLaterFailsTheConsumerWhereTheMissingRowsWouldBe() {
        CountDownLatch firstRowsTaken = new CountDownLatch(1);
        IllegalStateException failure = new IllegalStateException("connection lost");
        RowFeed<Integer> feed = readAhead.read(rows -> {
            rows.publish(List.of(1, 2));
            await(firstRowsTaken);
            throw failure;
        });

        var iterator = feed.iterator();
        assertThat(iterator.next()).isEqualTo(1);
        assertThat(iterator.next()).isEqualTo(2);
        firstRowsTaken.countDown();
        assertThatThrownBy(iterator::hasNext).isSameAs(failure);
        assertThatThrownBy(feed::toList).isSameAs(failure);
    }

    @Test
    void anEmptyResultIsAFeedWithNoRows() {
        RowFeed<Integer> feed = readAhead.read(rows -> rows.publish(List.of()));
        assertThat(feed.iterator().hasNext()).isFalse();
        assertThat(RowFeed.of(List.of()).toList()).isEmpty();
    }

    @Test
    void aViewKeepsOnlyTheRowsItsTestAllowsAndTheFeedItselfStillHasAll() {
        RowFeed<Integer> feed = RowFeed.of(IntStream.rangeClosed(1, 10).boxed().toList());
        RowFeed<Integer> even = feed.keeping(i -> i % 2 == 0);
        assertThat(even.toList()).containsExactly(2, 4, 6, 8, 10);
        assertThat(even.keeping(i -> i > 5).toList()).containsExactly(6, 8, 10);
        assertThat(feed.toList()).hasSize(10);
    }

    @Test
    void onceTheConsumerAbandonsTheFeedTheReaderIsToldToStop() {
        CountDownLatch abandoned = new CountDownLatch(1);
        List<Boolean> answers = new ArrayList<>();
        CountDownLatch readerDone = new CountDownLatch(1);
        RowFeed<Integer> feed = readAhead.read(rows -> {
            answers.add(rows.publish(List.of(1)));
            await(abandoned);
            answers.add(rows.publish(List.of(2)));
            readerDone.countDown();
        });
        feed.abandon();
        abandoned.countDown();
        await(readerDone);
        assertThat(answers).containsExactly(true, false);
    }

    @Test
    void whenEveryReaderIsBusyAListIsReadOnTheCallersThreadBeforeItIsReturned() {
        CountDownLatch release = new CountDownLatch(1);
        List<RowFeed<String>> busy = new ArrayList<>();
        for (int i = 0; i < ReadAhead.READERS; i++) {
            busy.add(readAhead.read(rows -> {
                rows.publish(List.of(Thread.currentThread().getName()));
                await(release);
            }));
        }
        String caller = Thread.currentThread().getName();
        RowFeed<String> inline = readAhead.read(rows -> rows.publish(List.of(Thread.currentThread().getName())));
        // complete when returned: nothing left to wait for, though the readers are still held
        assertThat(inline.toList()).containsExactly(caller);
        release.countDown();
        for (RowFeed<String> feed : busy) {
            assertThat(feed.toList()).singleElement().asString().startsWith("read-ahead-");
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).as("latch released").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
