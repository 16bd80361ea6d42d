package org.borderwatch.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.borderwatch.avro.BorderIncident;
import org.borderwatch.avro.DrugSeizure;
import org.borderwatch.schemas.Topic;

/** Reads a whole topic as an outside consumer would: read_committed, decoded with the registry's serdes. */
public final class TopicReader {

    private TopicReader() {
    }

    /** Every record of {@code topic} up to its current end, in partition order. */
    public static <V> List<ConsumerRecord<String, V>> readAll(final String bootstrapServers,
                                                              final Topic<String, V> topic) {
        return readAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topic);
    }

    /** {@link #readAll(String, Topic)} with a client's settings (a secured cluster's principal, say). */
    public static <V> List<ConsumerRecord<String, V>> readAll(final Map<String, Object> client,
                                                              final Topic<String, V> topic) {
        final Map<String, Object> config = new HashMap<>(client);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config,
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(10))
                    .stream().map(info -> new TopicPartition(topic.name(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            final List<ConsumerRecord<String, V>> records = new ArrayList<>();
            final Instant deadline = Instant.now().plusSeconds(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("could not read " + topic + " up to " + end + " in 30 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** The eventId of every record on an incidents or seizures topic, in partition order. */
    public static List<String> eventIds(final String bootstrapServers, final Topic<String, ?> topic) {
        return readAll(bootstrapServers, topic).stream().map(record -> eventIdOf(record.value())).toList();
    }

    public static String eventIdOf(final Object value) {
        return value instanceof BorderIncident incident ? incident.getEventId().toString()
                : ((DrugSeizure) value).getEventId().toString();
    }

    /** How many records {@code topic} holds: the sum of its partitions' end offsets (read_committed). */
    public static long count(final String bootstrapServers, final Topic<String, ?> topic) {
        try (KafkaConsumer<String, ?> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString()),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(10))
                    .stream().map(info -> new TopicPartition(topic.name(), info.partition())).toList();
            return consumer.endOffsets(partitions, Duration.ofSeconds(10)).values().stream()
                    .mapToLong(Long::longValue).sum();
        }
    }
}
