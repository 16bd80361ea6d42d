package org.borderwatch.bench.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic from the beginning without a group (assigned partitions, nothing committed), with a chosen isolation
 * level. {@link #poll()} reads what has arrived; {@link #readToEnd()} reads up to the end offsets seen when it is
 * called: for read_committed that is the last stable offset, so records of an open transaction are never read.
 */
public final class TopicReader implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration READ_TO_END_LIMIT = Duration.ofSeconds(60);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final Consumer<ConsumerRecord<byte[], byte[]>> sink;
    private long records;

    public TopicReader(final String bootstrapServers, final String topic, final IsolationLevel isolation,
                       final Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        this(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topic, isolation, sink);
    }

    /** With a client's connection settings: bootstrap servers and, on a secured cluster, its login. */
    public TopicReader(final Map<String, Object> client, final String topic, final IsolationLevel isolation,
                       final Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        final Properties properties = new Properties();
        properties.putAll(client);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "borderwatch-bench-reader-" + topic);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        this.consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        this.sink = sink;
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Hands every record that has arrived since the last call to the sink. */
    public void poll() {
        for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
            records++;
            sink.accept(record);
        }
    }

    /** Reads until the position of every partition has reached the end offset it has now. */
    public void readToEnd() {
        final Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
        final long deadline = System.nanoTime() + READ_TO_END_LIMIT.toNanos();
        while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + partitions + " to " + end + " within "
                        + READ_TO_END_LIMIT.toSeconds() + " s");
            }
            poll();
        }
    }

    /** Data records handed to the sink so far (transaction markers and aborted records are not counted). */
    public long records() {
        return records;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
