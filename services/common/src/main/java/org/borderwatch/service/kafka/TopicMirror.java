package org.borderwatch.service.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.borderwatch.schemas.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A topic read whole, from its beginning, and followed: every instance sees every record (by assignment, no consumer
 * group, nothing committed), {@code read_committed}. Made for compacted topics an instance keeps in memory
 * (subscriptions, silences, rules, sessions) and for logs it indexes (alerts).
 *
 * <p>Each record goes to the handler in partition order, decoded with the topic's serdes; a tombstone comes with a
 * null value. A record that does not decode, or that the handler throws on, is logged and skipped: one poison record
 * never stops the mirror. Callers wait for a position: {@link #awaitCaughtUp} (everything committed when the mirror
 * started) and {@link #awaitVisible} (a record they just wrote), so a client that wrote something reads it back.
 * A topic that does not exist yet is waited for.
 */
public final class TopicMirror<V> implements AutoCloseable {

    /** Receives each decoded record (value null for a tombstone). Called on the mirror's thread only. */
    @FunctionalInterface
    public interface Handler<V> {
        void apply(ConsumerRecord<String, V> record, V value);
    }

    /**
     * Where to start each partition, given its first and end offsets when the mirror starts (partition → offset);
     * a partition it leaves out starts at its beginning. For a log an instance holds only the end of.
     */
    @FunctionalInterface
    public interface StartAt {
        Map<Integer, Long> positions(Map<Integer, Long> beginning, Map<Integer, Long> end);
    }

    private static final Logger LOG = LoggerFactory.getLogger(TopicMirror.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration METADATA_WAIT = Duration.ofSeconds(10);
    private static final Duration TOPIC_RETRY = Duration.ofSeconds(2);

    private final Topic<String, V> topic;
    private final Handler<V> handler;
    private final StartAt startAt;
    private final ConsumerLoop loop;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    private final Map<Integer, Long> positions = new HashMap<>();
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private List<TopicPartition> assigned = List.of();
    private Map<Integer, Long> startupEnd = Map.of();
    private volatile int partitions;

    public TopicMirror(final Topic<String, V> topic, final KafkaClients clients, final Handler<V> handler) {
        this(topic, clients, handler, (beginning, end) -> beginning);
    }

    /** A mirror that starts each partition where {@code startAt} says instead of at its beginning. */
    public TopicMirror(final Topic<String, V> topic, final KafkaClients clients, final Handler<V> handler,
                       final StartAt startAt) {
        this.topic = topic;
        this.handler = handler;
        this.startAt = startAt;
        final Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, null);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Unique: several mirrors of one topic may run in one JVM (tests, two services), and client ids name meters.
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "mirror-" + topic.name() + "-" + System.nanoTime());
        this.loop = new ConsumerLoop(clients, "mirror-" + topic.name(), config, POLL, new Body());
    }

    public TopicMirror<V> start() {
        loop.start();
        return this;
    }

    public Topic<String, V> topic() {
        return topic;
    }

    /** The topic's partition count, once known (0 before). */
    public int partitions() {
        return partitions;
    }

    public boolean isCaughtUp() {
        return caughtUp.isDone() && !caughtUp.isCompletedExceptionally();
    }

    /** Completes once the mirror has read everything that was committed when it started. */
    public CompletableFuture<Void> caughtUp() {
        return caughtUp;
    }

    /** Waits until the mirror has read everything that was committed when it started. */
    public boolean awaitCaughtUp(final Duration timeout) {
        return await(timeout, this::isCaughtUp);
    }

    /** Waits until the record at {@code offset} of {@code partition} has been handed to the handler. */
    public boolean awaitPosition(final int partition, final long offset, final Duration timeout) {
        return await(timeout, () -> positions.getOrDefault(partition, 0L) > offset);
    }

    /** Waits until the mirror has read a record this instance just wrote: "my own write is visible". */
    public boolean awaitVisible(final RecordMetadata written, final Duration timeout) {
        if (!topic.name().equals(written.topic())) {
            throw new IllegalArgumentException("Record of " + written.topic() + " awaited in the mirror of " + topic);
        }
        return awaitPosition(written.partition(), written.offset(), timeout);
    }

    private boolean await(final Duration timeout, final BooleanSupplier condition) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!condition.getAsBoolean()) {
                final long left = deadline - System.nanoTime();
                if (left <= 0 || loop.isClosing()) {
                    return false;
                }
                advanced.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(POLL.toMillis() * 5)),
                        TimeUnit.NANOSECONDS);
            }
            return true;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    private final class Body implements ConsumerLoop.Body {

        private boolean warned;

        @Override
        public void start(final Consumer<byte[], byte[]> consumer) {
            List<TopicPartition> found = List.of();
            while (found.isEmpty() && !loop.isClosing()) {
                try {
                    found = consumer.partitionsFor(topic.name(), METADATA_WAIT).stream()
                            .map(info -> new TopicPartition(topic.name(), info.partition())).toList();
                } catch (final TimeoutException e) {
                    // Kafka is not reachable yet: same as a missing topic, try again.
                }
                if (found.isEmpty()) {
                    if (!warned) {
                        LOG.warn("Topic {} is not available yet; its mirror waits for it", topic);
                        warned = true;
                    }
                    loop.pause(TOPIC_RETRY);
                }
            }
            consumer.assign(found);
            final Map<Integer, Long> beginning = new HashMap<>();
            consumer.beginningOffsets(found).forEach((partition, offset) -> beginning.put(partition.partition(),
                    offset));
            final Map<Integer, Long> end = new HashMap<>();
            consumer.endOffsets(found).forEach((partition, offset) -> end.put(partition.partition(), offset));
            final Map<Integer, Long> start = startAt.positions(beginning, end);
            for (final TopicPartition partition : found) {
                final int number = partition.partition();
                consumer.seek(partition, start.getOrDefault(number, beginning.get(number)));
            }
            lock.lock();
            try {
                assigned = found;
                startupEnd = end;
                partitions = found.size();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void polled(final Consumer<byte[], byte[]> consumer, final ConsumerRecords<byte[], byte[]> records) {
            for (final ConsumerRecord<byte[], byte[]> raw : records) {
                handle(raw);
            }
            lock.lock();
            try {
                for (final TopicPartition partition : assigned) {
                    positions.put(partition.partition(), consumer.position(partition));
                }
                if (!caughtUp.isDone() && startupEnd.entrySet().stream()
                        .allMatch(end -> positions.getOrDefault(end.getKey(), 0L) >= end.getValue())) {
                    LOG.info("Mirror of {} caught up at {}", topic, positions);
                    caughtUp.complete(null);
                }
                advanced.signalAll();
            } finally {
                lock.unlock();
            }
        }

        private void handle(final ConsumerRecord<byte[], byte[]> raw) {
            final String key;
            final V value;
            try {
                key = raw.key() == null ? null : topic.keySerde().deserializer().deserialize(topic.name(), raw.key());
                value = raw.value() == null ? null
                        : topic.valueSerde().deserializer().deserialize(topic.name(), raw.value());
            } catch (final RuntimeException e) {
                LOG.error("Skipping undecodable record {}-{}@{}: {}", topic, raw.partition(), raw.offset(),
                        e.getMessage());
                return;
            }
            try {
                handler.apply(new ConsumerRecord<>(raw.topic(), raw.partition(), raw.offset(), raw.timestamp(),
                        raw.timestampType(), raw.serializedKeySize(), raw.serializedValueSize(), key, value,
                        raw.headers(), raw.leaderEpoch()), value);
            } catch (final RuntimeException e) {
                LOG.error("Skipping record {}-{}@{} (key {}) that the mirror's reader refused: {}", topic,
                        raw.partition(), raw.offset(), key, e.toString(), e);
            }
        }
    }

    @Override
    public void close() {
        loop.close();
        lock.lock();
        try {
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
