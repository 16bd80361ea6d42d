package org.borderwatch.alert.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.borderwatch.schemas.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a whole topic from its beginning and keeps following it, on one thread, without a consumer group (every
 * instance sees every record), {@code read_committed}. Each record goes to the handler in partition order; a record
 * that does not decode is logged and skipped (handler gets nothing), so one poison record never stops the mirror.
 * Callers can wait for the mirror to reach a position: after start-up (caught up) or after their own write.
 */
public final class TopicMirror<V> implements AutoCloseable {

    /** Receives each decoded record (value null for a tombstone). Called on the mirror's thread only. */
    @FunctionalInterface
    public interface Handler<V> {
        void apply(ConsumerRecord<String, V> record, V value);
    }

    /**
     * Where to start each partition, given its first and end offsets at start-up (partition → offset); a partition
     * it leaves out starts at its beginning.
     */
    @FunctionalInterface
    public interface StartAt {
        Map<Integer, Long> positions(Map<Integer, Long> beginning, Map<Integer, Long> end);
    }

    private static final Logger LOG = LoggerFactory.getLogger(TopicMirror.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Topic<String, V> topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Handler<V> handler;
    private final Thread thread;
    private final StartAt startAt;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    private final Map<Integer, Long> positions = new HashMap<>();
    private Map<Integer, Long> startupEnd;
    private volatile int partitions;
    private volatile boolean caughtUp;
    private volatile boolean closed;

    public TopicMirror(final Topic<String, V> topic, final Map<String, Object> consumerConfig,
                       final Handler<V> handler) {
        this(topic, consumerConfig, handler, (beginning, end) -> beginning);
    }

    /** A mirror that reads each partition from where {@code startAt} says, not from its beginning. */
    public TopicMirror(final Topic<String, V> topic, final Map<String, Object> consumerConfig,
                       final Handler<V> handler, final StartAt startAt) {
        this.topic = topic;
        this.handler = handler;
        this.startAt = startAt;
        final Map<String, Object> config = new HashMap<>(consumerConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "mirror-" + topic.name() + "-" + System.nanoTime());
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "mirror-" + topic.name());
        this.thread.setDaemon(true);
    }

    public TopicMirror<V> start() {
        thread.start();
        return this;
    }

    public int partitions() {
        return partitions;
    }

    public boolean isCaughtUp() {
        return caughtUp;
    }

    /** Waits until the mirror has read everything that was committed when it started. */
    public boolean awaitCaughtUp(final Duration timeout) {
        return await(timeout, () -> caughtUp);
    }

    /** Waits until the record at {@code offset} of {@code partition} has been handed to the handler. */
    public boolean awaitPosition(final int partition, final long offset, final Duration timeout) {
        return await(timeout, () -> positions.getOrDefault(partition, 0L) > offset);
    }

    private boolean await(final Duration timeout, final java.util.function.BooleanSupplier condition) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!condition.getAsBoolean()) {
                final long left = deadline - System.nanoTime();
                if (left <= 0 || closed) {
                    return false;
                }
                advanced.await(left, TimeUnit.NANOSECONDS);
            }
            return true;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        try {
            final List<TopicPartition> assigned = assignAll();
            while (!closed) {
                final ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                for (final ConsumerRecord<byte[], byte[]> raw : records) {
                    handle(raw);
                }
                advance(assigned);
            }
        } catch (final WakeupException | InterruptException e) {
            if (!closed) {
                LOG.error("Mirror of {} was interrupted; it stops", topic, e);
            }
        } catch (final RuntimeException e) {
            LOG.error("Mirror of {} failed and stops; the service must be restarted", topic, e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private List<TopicPartition> assignAll() {
        List<TopicPartition> assigned = List.of();
        while (!closed && assigned.isEmpty()) {
            try {
                assigned = consumer.partitionsFor(topic.name(), Duration.ofSeconds(10)).stream()
                        .map(info -> new TopicPartition(topic.name(), info.partition())).toList();
            } catch (final org.apache.kafka.common.errors.TimeoutException e) {
                LOG.warn("Topic {} is not available yet: {}; trying again", topic, e.getMessage());
            }
        }
        partitions = assigned.size();
        consumer.assign(assigned);
        final Map<Integer, Long> beginning = new HashMap<>();
        consumer.beginningOffsets(assigned).forEach((tp, offset) -> beginning.put(tp.partition(), offset));
        final Map<Integer, Long> end = new HashMap<>();
        consumer.endOffsets(assigned).forEach((tp, offset) -> end.put(tp.partition(), offset));
        final Map<Integer, Long> start = startAt.positions(beginning, end);
        for (final TopicPartition tp : assigned) {
            consumer.seek(tp, start.getOrDefault(tp.partition(), beginning.get(tp.partition())));
        }
        lock.lock();
        try {
            startupEnd = end;
        } finally {
            lock.unlock();
        }
        return assigned;
    }

    private void handle(final ConsumerRecord<byte[], byte[]> raw) {
        final String key = raw.key() == null ? null : topic.keySerde().deserializer().deserialize(topic.name(),
                raw.key());
        V value = null;
        if (raw.value() != null) {
            try {
                value = topic.valueSerde().deserializer().deserialize(topic.name(), raw.value());
            } catch (final SerializationException e) {
                LOG.error("Skipping undecodable record {}-{}@{}: {}", topic, raw.partition(), raw.offset(),
                        e.getMessage());
                return;
            }
        }
        handler.apply(new ConsumerRecord<>(raw.topic(), raw.partition(), raw.offset(), raw.timestamp(),
                raw.timestampType(), raw.serializedKeySize(), raw.serializedValueSize(), key, value, raw.headers(),
                raw.leaderEpoch()), value);
    }

    private void advance(final List<TopicPartition> assigned) {
        lock.lock();
        try {
            for (final TopicPartition tp : assigned) {
                positions.put(tp.partition(), consumer.position(tp));
            }
            if (!caughtUp && startupEnd.entrySet().stream()
                    .allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue())) {
                caughtUp = true;
                LOG.info("Mirror of {} caught up at {}", topic, positions);
            }
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
