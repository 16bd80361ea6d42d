package org.borderwatch.alert.log;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.borderwatch.service.kafka.KafkaClients;

/**
 * A short-lived reader of a range of a topic, for what this instance no longer holds in memory: an SSE resume from
 * an old position, the history of an alert, the lifecycle's current alert states at start-up. No consumer group
 * (nothing committed, no rebalance), {@code read_committed} like every reader of the alert log, records as bytes so
 * that a caller can skip records by key without decoding them.
 */
final class LogReader implements AutoCloseable {

    /** Receives each record; answers whether to go on reading. */
    @FunctionalInterface
    interface Handler {
        boolean accept(ConsumerRecord<byte[], byte[]> record);
    }

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration METADATA = Duration.ofSeconds(10);

    private final KafkaClients kafka;
    private final Consumer<byte[], byte[]> consumer;
    private final String topic;

    LogReader(final KafkaClients kafka, final String topic, final String purpose) {
        final Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, null);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A position below the log's start (records deleted by retention) reads from what is left.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, purpose + "-" + System.nanoTime());
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        // Asking for the lifecycle's changelog before Kafka Streams made it must not make it, with the wrong layout.
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        this.kafka = kafka;
        this.consumer = kafka.consumer(config);
        this.topic = topic;
    }

    /** The topic's partition count; 0 when the topic does not exist. */
    int partitions() {
        final List<PartitionInfo> infos = consumer.partitionsFor(topic, METADATA);
        return infos == null ? 0 : infos.size();
    }

    /** The last stable offset of each partition (read_committed: nothing of an open transaction). */
    Map<Integer, Long> endOffsets(final int partitions) {
        final Map<Integer, Long> end = new HashMap<>();
        consumer.endOffsets(partitionsOf(partitions)).forEach((tp, offset) -> end.put(tp.partition(), offset));
        return end;
    }

    /**
     * Reads every partition named in {@code from} from that offset up to (not including) its offset in
     * {@code until}, handing each record to {@code handler} in offset order per partition, until the handler says
     * stop.
     *
     * @return per partition, the offset up to which every record was handed over ({@code until} when it read to
     *         the end)
     */
    Map<Integer, Long> read(final Map<Integer, Long> from, final Map<Integer, Long> until, final Handler handler) {
        final Map<Integer, Long> reached = new HashMap<>(from);
        final List<TopicPartition> open = from.keySet().stream()
                .filter(p -> from.get(p) < until.getOrDefault(p, 0L))
                .map(p -> new TopicPartition(topic, p)).toList();
        if (open.isEmpty()) {
            return reached;
        }
        consumer.assign(open);
        open.forEach(tp -> consumer.seek(tp, from.get(tp.partition())));
        final java.util.Set<TopicPartition> reading = new java.util.HashSet<>(open);
        while (!reading.isEmpty()) {
            for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                final long stop = until.get(record.partition());
                if (record.offset() >= stop || !reading.contains(new TopicPartition(topic, record.partition()))) {
                    continue;
                }
                reached.put(record.partition(), record.offset() + 1);
                if (!handler.accept(record)) {
                    return reached;
                }
            }
            for (final TopicPartition tp : List.copyOf(reading)) {
                // position() passes transaction markers and aborted records, which no poll returns.
                final long position = consumer.position(tp);
                if (position >= until.get(tp.partition())) {
                    // Everything below until was handed over or is no record; records past it were skipped.
                    reached.merge(tp.partition(), until.get(tp.partition()), Math::max);
                    reading.remove(tp);
                }
            }
            consumer.pause(open.stream().filter(tp -> !reading.contains(tp)).toList());
        }
        return reached;
    }

    private List<TopicPartition> partitionsOf(final int partitions) {
        return java.util.stream.IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p)).toList();
    }

    @Override
    public void close() {
        kafka.close(consumer, Duration.ofSeconds(2));
    }
}
