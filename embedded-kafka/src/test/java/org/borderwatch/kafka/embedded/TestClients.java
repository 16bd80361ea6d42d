package org.borderwatch.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.borderwatch.kafka.access.AccessPolicy;

/** Plain string clients for the broker tests: the broker only sees bytes, so no Avro here. */
final class TestClients {

    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final Class<StringSerializer> STRING_SERIALIZER = StringSerializer.class;
    static final Class<StringDeserializer> STRING_DESERIALIZER = StringDeserializer.class;

    private TestClients() {
    }

    static Admin admin(final EmbeddedKafkaCluster kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    static void createTopic(final EmbeddedKafkaCluster kafka, final String name, final int partitions)
            throws ExecutionException, InterruptedException {
        try (Admin admin = admin(kafka)) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) kafka.brokerCount()))).all().get();
        }
    }

    /** An idempotent acks=all producer; transactional when {@code transactional} is true. */
    static KafkaProducer<String, String> producer(final EmbeddedKafkaCluster kafka, final boolean transactional) {
        final Map<String, Object> config = new HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
        if (transactional) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-tx-" + UUID.randomUUID());
        }
        return new KafkaProducer<>(config);
    }

    /** Sends {@code values} in one committed transaction, then {@code aborted} in one aborted transaction. */
    static void produceTransactionally(final EmbeddedKafkaCluster kafka, final String topic,
                                       final List<String> values, final List<String> aborted) {
        try (KafkaProducer<String, String> producer = producer(kafka, true)) {
            producer.initTransactions();
            producer.beginTransaction();
            values.forEach(value -> producer.send(new ProducerRecord<>(topic, value, value)));
            producer.commitTransaction();
            producer.beginTransaction();
            aborted.forEach(value -> producer.send(new ProducerRecord<>(topic, value, value)));
            producer.flush();
            producer.abortTransaction();
        }
    }

    /** Synchronous acks=all sends: each send must be acknowledged by the in-sync replicas. */
    static void produce(final EmbeddedKafkaCluster kafka, final String topic, final List<String> values)
            throws ExecutionException, InterruptedException {
        try (KafkaProducer<String, String> producer = producer(kafka, false)) {
            for (final String value : values) {
                producer.send(new ProducerRecord<>(topic, value, value)).get();
            }
        }
    }

    /**
     * Reads {@code topic} from the beginning until {@code expected} records have arrived and the consumer has
     * reached the end of every partition, so that nothing beyond them (an aborted record, say) is missed.
     */
    static List<String> consume(final EmbeddedKafkaCluster kafka, final String topic, final int expected,
                                final IsolationLevel isolation) {
        return consume(kafka.clientProperties(AccessPolicy.ADMIN), "test-" + UUID.randomUUID(), topic, expected,
                isolation);
    }

    /** {@link #consume(EmbeddedKafkaCluster, String, int, IsolationLevel)} with a client's settings and group. */
    static List<String> consume(final Map<String, Object> client, final String group, final String topic,
                                final int expected, final IsolationLevel isolation) {
        final List<String> values = new ArrayList<>();
        final Map<String, Object> props = new HashMap<>(client);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            await().atMost(TIMEOUT).pollInSameThread().pollInterval(Duration.ZERO).untilAsserted(() -> {
                for (final ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
                assertThat(values).hasSizeGreaterThanOrEqualTo(expected);
                assertThat(atEnd(consumer)).isTrue();
            });
        }
        return values;
    }

    private static boolean atEnd(final KafkaConsumer<String, String> consumer) {
        final Collection<TopicPartition> assigned = consumer.assignment();
        return !assigned.isEmpty() && consumer.endOffsets(assigned).entrySet().stream()
                .allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
    }
}
