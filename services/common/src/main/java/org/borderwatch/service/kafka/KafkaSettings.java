package org.borderwatch.service.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;

/**
 * Kafka client configuration of a service, from the {@code kafka.*} properties in Kafka's own names:
 * <ul>
 *   <li>{@code kafka.<name>} applies to every client that knows the name ({@code kafka.bootstrap.servers},
 *       {@code kafka.security.protocol}, {@code kafka.request.timeout.ms});</li>
 *   <li>{@code kafka.producer.<name>}, {@code kafka.consumer.<name>}, {@code kafka.admin.<name>} apply to one kind of
 *       client and win over the shared value;</li>
 *   <li>{@code kafka.streams.<name>} goes to Kafka Streams as it is (its own names and its client prefixes such as
 *       {@code main.consumer.}); Streams also gets every shared client setting.</li>
 * </ul>
 * A {@code kafka.*} key that fits none of these is logged, so a typo does not pass unnoticed. Environment variables
 * work as everywhere in Micronaut ({@code KAFKA_BOOTSTRAP_SERVERS}).
 */
@Singleton
public final class KafkaSettings {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSettings.class);
    private static final String STREAMS = "streams.";
    private static final String PRODUCER = "producer.";
    private static final String CONSUMER = "consumer.";
    private static final String ADMIN = "admin.";

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
        // The normalized view: the raw one misses values that environment variables set.
        environment.getProperties("kafka").forEach((key, value) -> {
            if (key.contains("-")) {
                // Environment variables arrive in every dot/dash spelling; Kafka's names never contain a dash.
                return;
            }
            final String text = String.valueOf(value);
            if (isProducer(key) || isConsumer(key) || isAdmin(key)) {
                streams.put(key, text);
                putIf(producer, key, text, isProducer(key));
                putIf(consumer, key, text, isConsumer(key));
                putIf(admin, key, text, isAdmin(key));
            } else if (key.startsWith(STREAMS)) {
                ownStreams.put(key.substring(STREAMS.length()), text);
            } else if (key.startsWith(PRODUCER) && isProducer(key.substring(PRODUCER.length()))) {
                ownProducer.put(key.substring(PRODUCER.length()), text);
            } else if (key.startsWith(CONSUMER) && isConsumer(key.substring(CONSUMER.length()))) {
                ownConsumer.put(key.substring(CONSUMER.length()), text);
            } else if (key.startsWith(ADMIN) && isAdmin(key.substring(ADMIN.length()))) {
                ownAdmin.put(key.substring(ADMIN.length()), text);
            } else {
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

    /** Settings for Kafka Streams; a copy the caller may add to. */
    public Map<String, Object> streams() {
        return new HashMap<>(streams);
    }

    /** Producer configuration; a copy the caller may add to. */
    public Map<String, Object> producer() {
        return new HashMap<>(producer);
    }

    /** Consumer configuration; a copy the caller may add to. */
    public Map<String, Object> consumer() {
        return new HashMap<>(consumer);
    }

    /** Admin client configuration; a copy the caller may add to. */
    public Map<String, Object> admin() {
        return new HashMap<>(admin);
    }

    private static void putIf(final Map<String, Object> target, final String key, final String value,
                              final boolean applies) {
        if (applies) {
            target.put(key, value);
        }
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
