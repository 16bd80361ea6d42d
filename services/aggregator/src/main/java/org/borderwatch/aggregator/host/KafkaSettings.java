package org.borderwatch.aggregator.host;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka client configuration from the {@code kafka.*} properties, in Kafka's own names: {@code kafka.<name>} applies
 * to every client that knows the name ({@code kafka.bootstrap.servers}, {@code kafka.security.protocol});
 * {@code kafka.streams.<name>} to Kafka Streams only (its own names and its client prefixes such as
 * {@code main.consumer.}), {@code kafka.producer.<name>} to the rules producer, {@code kafka.consumer.<name>} to the
 * rule catalog and backtest readers, {@code kafka.admin.<name>} to the health check; these win over shared values.
 * A key no client knows is logged, so a typo does not pass unnoticed.
 */
@Singleton
public final class KafkaSettings {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSettings.class);
    private static final String STREAMS = "streams.";
    private static final String PRODUCER = "producer.";
    private static final String CONSUMER = "consumer.";
    private static final String ADMIN = "admin.";
    /** Prefixes Kafka Streams accepts for the configuration of its own clients and internal topics. */
    private static final List<String> STREAMS_CLIENT_PREFIXES = List.of(StreamsConfig.CONSUMER_PREFIX,
            StreamsConfig.MAIN_CONSUMER_PREFIX, StreamsConfig.RESTORE_CONSUMER_PREFIX,
            StreamsConfig.GLOBAL_CONSUMER_PREFIX, StreamsConfig.PRODUCER_PREFIX, StreamsConfig.ADMIN_CLIENT_PREFIX,
            StreamsConfig.TOPIC_PREFIX);

    private final Map<String, Object> streams = new HashMap<>();
    private final Map<String, Object> producer = new HashMap<>();
    private final Map<String, Object> consumer = new HashMap<>();
    private final Map<String, Object> admin = new HashMap<>();

    public KafkaSettings(final Environment environment) {
        final Map<String, Object> ownStreams = new HashMap<>();
        final Map<String, Object> ownProducer = new HashMap<>();
        final Map<String, Object> ownConsumer = new HashMap<>();
        final Map<String, Object> ownAdmin = new HashMap<>();
        final Set<String> unknown = new TreeSet<>();
        // The normalized view: the raw one misses environment variables (KAFKA_BOOTSTRAP_SERVERS).
        environment.getProperties("kafka").forEach((key, value) -> {
            final String text = String.valueOf(value);
            if (key.contains("-")) {
                // Environment variables arrive in every dot/dash spelling; Kafka's names never contain a dash.
                return;
            }
            boolean known = false;
            if (isProducer(key) || isConsumer(key) || isAdmin(key) || isStreams(key)) {
                known = true;
                put(streams, key, text, isStreams(key) || isProducer(key) || isConsumer(key) || isAdmin(key));
                put(producer, key, text, isProducer(key));
                put(consumer, key, text, isConsumer(key));
                put(admin, key, text, isAdmin(key));
            } else if (key.startsWith(STREAMS) && isStreamsOwn(key.substring(STREAMS.length()))) {
                known = true;
                ownStreams.put(key.substring(STREAMS.length()), text);
            } else if (key.startsWith(PRODUCER) && isProducer(key.substring(PRODUCER.length()))) {
                known = true;
                ownProducer.put(key.substring(PRODUCER.length()), text);
            } else if (key.startsWith(CONSUMER) && isConsumer(key.substring(CONSUMER.length()))) {
                known = true;
                ownConsumer.put(key.substring(CONSUMER.length()), text);
            } else if (key.startsWith(ADMIN) && isAdmin(key.substring(ADMIN.length()))) {
                known = true;
                ownAdmin.put(key.substring(ADMIN.length()), text);
            }
            if (!known) {
                unknown.add(key);
            }
        });
        streams.putAll(ownStreams);
        producer.putAll(ownProducer);
        consumer.putAll(ownConsumer);
        admin.putAll(ownAdmin);
        if (!unknown.isEmpty()) {
            LOG.warn("Ignoring kafka.* settings that no Kafka client knows: {}", unknown);
        }
    }

    /** The shared {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return String.valueOf(admin.getOrDefault(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092"));
    }

    /** Settings for Kafka Streams, applied over the topology's own; a copy the caller may add to. */
    public Map<String, Object> streams() {
        return new HashMap<>(streams);
    }

    public Map<String, Object> producer() {
        return new HashMap<>(producer);
    }

    public Map<String, Object> consumer() {
        return new HashMap<>(consumer);
    }

    public Map<String, Object> admin() {
        return new HashMap<>(admin);
    }

    private static void put(final Map<String, Object> target, final String key, final String value,
                            final boolean applies) {
        if (applies) {
            target.put(key, value);
        }
    }

    /** Kafka Streams' own names, its clients' names (it passes them on), and prefixed client names. */
    private static boolean isStreamsOwn(final String name) {
        return isStreams(name) || isConsumer(name) || isProducer(name) || isAdmin(name)
                || STREAMS_CLIENT_PREFIXES.stream().anyMatch(name::startsWith);
    }

    private static boolean isStreams(final String name) {
        return StreamsConfig.configDef().names().contains(name);
    }

    private static boolean isProducer(final String name) {
        return ProducerConfig.configNames().contains(name);
    }

    private static boolean isConsumer(final String name) {
        return ConsumerConfig.configNames().contains(name);
    }

    private static boolean isAdmin(final String name) {
        return AdminClientConfig.configNames().contains(name);
    }
}
