package org.borderwatch.service.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one consumer on its own thread: the body subscribes or assigns once, then gets every poll's records (also an
 * empty poll, so it can act on time), and on a clean stop gets the consumer once more before it is closed, to commit
 * what it finished. {@link #close()} wakes the consumer, waits a bounded time for the thread and so releases it.
 *
 * <p>A refused login (wrong SCRAM password, a user not created yet) is logged once, naming the authentication
 * failure, and retried every {@link #AUTH_RETRY}: the consumer never logs or holds the password itself. Any other
 * failure stops the loop with an error line; what was not committed is read again by the next owner.
 */
public final class ConsumerLoop implements AutoCloseable {

    /** What the loop runs; every method is called on the loop's thread. */
    public interface Body {

        /** Subscribes or assigns. Called again after a refused login; may wait while {@link #isClosing()} is false. */
        void start(Consumer<byte[], byte[]> consumer);

        /** After every poll, with its records (maybe none). */
        void polled(Consumer<byte[], byte[]> consumer, ConsumerRecords<byte[], byte[]> records);

        /** On close, before the consumer is closed: commit what is done. */
        default void stopping(final Consumer<byte[], byte[]> consumer) {
        }
    }

    static final Duration AUTH_RETRY = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(15);

    private final KafkaClients clients;
    private final String name;
    private final Duration poll;
    private final Body body;
    private final Consumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean failed;

    /**
     * @param name   the thread's name and the loop's name in log lines
     * @param config consumer settings on top of the service's {@code kafka.*} ones (group, isolation, commits)
     */
    public ConsumerLoop(final KafkaClients clients, final String name, final Map<String, Object> config,
                        final Duration poll, final Body body) {
        this.clients = clients;
        this.name = name;
        this.poll = poll;
        this.body = body;
        this.consumer = clients.consumer(config);
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    public ConsumerLoop start() {
        thread.start();
        return this;
    }

    /** Whether {@link #close()} was called: a body that waits checks it. */
    public boolean isClosing() {
        return closing.getCount() == 0;
    }

    /** Whether the loop stopped on an error (not by {@link #close()}). */
    public boolean hasFailed() {
        return failed;
    }

    /** Whether the thread still runs. */
    public boolean isAlive() {
        return thread.isAlive();
    }

    /** Waits at most {@code timeout} unless the loop closes first; true when it is closing. */
    public boolean pause(final Duration timeout) {
        try {
            return closing.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private void run() {
        boolean started = false;
        boolean authFailing = false;
        try {
            while (!isClosing()) {
                try {
                    if (!started) {
                        body.start(consumer);
                        started = true;
                    }
                    final ConsumerRecords<byte[], byte[]> records = consumer.poll(poll);
                    if (authFailing) {
                        LOG.info("{}: Kafka accepted the credentials; reading again", name);
                        authFailing = false;
                    }
                    body.polled(consumer, records);
                } catch (final AuthenticationException e) {
                    if (!authFailing) {
                        LOG.error("{} cannot read: {}; retrying every {}", name, KafkaClients.describe(e),
                                AUTH_RETRY);
                        authFailing = true;
                    }
                    pause(AUTH_RETRY);
                }
            }
        } catch (final WakeupException | InterruptException e) {
            if (!isClosing()) {
                failed = true;
                LOG.error("{} was interrupted and stops", name, e);
            }
        } catch (final RuntimeException e) {
            failed = true;
            LOG.error("{} failed and stops: {}; what it did not commit is read again after a restart", name,
                    KafkaClients.describe(e), e);
        } finally {
            if (started) {
                try {
                    stopBody();
                } catch (final RuntimeException e) {
                    LOG.warn("{} could not finish on close: {}", name, KafkaClients.describe(e));
                }
            }
            clients.close(consumer, CLOSE_TIMEOUT);
        }
    }

    private void stopBody() {
        try {
            body.stopping(consumer);
        } catch (final WakeupException e) {
            // close() woke the consumer while it was not polling; the wake-up is spent now, so this one succeeds.
            body.stopping(consumer);
        }
    }

    /** Stops the loop: wakes a blocked poll, lets the body commit, closes the consumer; waits a bounded time. */
    @Override
    public void close() {
        closing.countDown();
        consumer.wakeup();
        try {
            thread.join(JOIN_TIMEOUT.toMillis());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("{} did not stop within {}; its daemon thread is left to the JVM's exit", name, JOIN_TIMEOUT);
        }
    }
}
