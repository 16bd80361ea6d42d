package org.borderwatch.aggregator.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class ThreadReplacementTest {

    private static final StreamsException COMMIT_FAILED = new StreamsException(
            "Error encountered trying to commit a transaction", new InvalidTxnStateException("invalid state"));

    private final AtomicLong nanos = new AtomicLong();
    private final ThreadReplacement handler = new ThreadReplacement(nanos::get);

    @Test
    void shouldReplaceTheThreadWhenACommitFailsDuringAFailover() {
        // When a stream thread dies once
        final StreamThreadExceptionResponse response = handler.handle(COMMIT_FAILED);

        // Then it is replaced
        assertThat(response).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }

    @Test
    void shouldShutTheClientDownWhenThreadsKeepFailingWithinAMinute() {
        // Given as many failures as are replaced within the window
        for (int i = 0; i < ThreadReplacement.MAX_FAILURES; i++) {
            assertThat(handler.handle(COMMIT_FAILED)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        }

        // When one more comes within it
        final StreamThreadExceptionResponse response = handler.handle(COMMIT_FAILED);

        // Then Kafka Streams is shut down
        assertThat(response).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void shouldReplaceAgainWhenEarlierFailuresAreOlderThanTheWindow() {
        // Given the most failures a window replaces, then more than a window of quiet
        for (int i = 0; i < ThreadReplacement.MAX_FAILURES; i++) {
            handler.handle(COMMIT_FAILED);
        }
        nanos.addAndGet(ThreadReplacement.WINDOW.toNanos() + 1);

        // Then the next failure is replaced
        assertThat(handler.handle(COMMIT_FAILED)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }
}
