package org.borderwatch.aggregator.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.borderwatch.schemas.Topic;

/** Reads topics as an outside consumer does (read_committed, from the start) and writes raw records. */
final class KafkaIo {

    private KafkaIo() {
    }

    /** Every record of {@code topic} up to its current end. */
    static <K, V> List<ConsumerRecord<K, V>> readAll(final String bootstrapServers, final Topic<K, V> topic) {
        return readAll(bootstrapServers, topic.name(), topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
    }

    static <K, V> List<ConsumerRecord<K, V>> readAll(final String bootstrapServers, final String topic,
                                                     final Deserializer<K> keys, final Deserializer<V> values) {
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), keys, values)) {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10))
                    .stream().map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            final List<ConsumerRecord<K, V>> records = new ArrayList<>();
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

    /** Writes records with their topic's serdes through an idempotent producer; returns once Kafka has them. */
    static <V> void produce(final String bootstrapServers, final Topic<String, V> topic,
                            final Map<String, List<V>> valuesByKey) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            valuesByKey.forEach((key, values) -> values.forEach(value -> producer.send(new ProducerRecord<>(
                    topic.name(), key, topic.valueSerde().serializer().serialize(topic.name(), value)))));
            producer.flush();
        }
    }

    /** Writes raw bytes (poison) to {@code topic}. */
    static void produceRaw(final String bootstrapServers, final String topic, final String key, final byte[] value) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value));
            producer.flush();
        }
    }
}
