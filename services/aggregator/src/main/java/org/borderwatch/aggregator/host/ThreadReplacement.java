package org.borderwatch.aggregator.host;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a stream thread dies: it is replaced, so the aggregator keeps counting after a transient Kafka
 * failure. Chaos scenario 2 (partition leaders SIGKILLed) ended a stream thread with
 * {@code InvalidTxnStateException} on {@code commitTransaction}, and Kafka Streams' default (shut the client down)
 * left the service running with no Kafka Streams at all. Under exactly-once a replaced thread's tasks restart from
 * their last commit, so nothing is counted twice. A failure that repeats at once (more than {@link #MAX_FAILURES}
 * within {@link #WINDOW}: a defect, not a failover) shuts the client down instead, and readiness says DOWN.
 */
final class ThreadReplacement implements StreamsUncaughtExceptionHandler {

    static final int MAX_FAILURES = 5;
    static final Duration WINDOW = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(ThreadReplacement.class);

    private final LongSupplier nanoTime;
    private final Deque<Long> failures = new ArrayDeque<>();

    ThreadReplacement(final LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(final Throwable exception) {
        final long now = nanoTime.getAsLong();
        failures.addLast(now);
        while (now - failures.peekFirst() > WINDOW.toNanos()) {
            failures.removeFirst();
        }
        if (failures.size() > MAX_FAILURES) {
            LOG.error("A Kafka Streams thread failed for the {}th time within {} s; shutting Kafka Streams down"
                    + " (readiness DOWN)", failures.size(), WINDOW.toSeconds(), exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        LOG.error("A Kafka Streams thread failed; replacing it (its tasks restart from their last commit)",
                exception);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}
