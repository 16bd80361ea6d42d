package org.borderwatch.ingest.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka client configuration from the {@code kafka.*} properties: {@code kafka.<name>} applies to every client
 * (e.g. {@code kafka.bootstrap.servers}, {@code kafka.security.protocol}), {@code kafka.producer.<name>} and
 * {@code kafka.admin.<name>} to one client and win over the shared value. Names are Kafka's own. A key no client
 * knows is logged, so a typo does not pass unnoticed.
 */
@Singleton
public final class KafkaSettings {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSettings.class);
    private static final String PRODUCER = "producer.";
    private static final String ADMIN = "admin.";

    private final Map<String, Object> producer = new HashMap<>();
    private final Map<String, Object> admin = new HashMap<>();

    public KafkaSettings(final Environment environment) {
        final Map<String, Object> shared = new HashMap<>();
        final Map<String, Object> ownProducer = new HashMap<>();
        final Map<String, Object> ownAdmin = new HashMap<>();
        final Set<String> unknown = new TreeSet<>();
        // Not StringConvention.RAW: that view misses the values environment variables set.
        environment.getProperties("kafka").forEach((key, value) -> {
            final String text = String.valueOf(value);
            if (isProducer(key) || isAdmin(key)) {
                shared.put(key, text);
            } else if (key.startsWith(PRODUCER) && isProducer(key.substring(PRODUCER.length()))) {
                ownProducer.put(key.substring(PRODUCER.length()), text);
            } else if (key.startsWith(ADMIN) && isAdmin(key.substring(ADMIN.length()))) {
                ownAdmin.put(key.substring(ADMIN.length()), text);
            } else if (!key.contains("-")) {
                // Environment variables arrive in every dot/dash spelling; Kafka's names never contain a dash.
                unknown.add(key);
            }
        });
        shared.forEach((key, value) -> {
            if (isProducer(key)) {
                producer.put(key, value);
            }
            if (isAdmin(key)) {
                admin.put(key, value);
            }
        });
        producer.putAll(ownProducer);
        admin.putAll(ownAdmin);
        if (!unknown.isEmpty()) {
            LOG.warn("Ignoring kafka.* settings that no Kafka client knows: {}", unknown);
        }
    }

    /** Producer configuration; a copy the caller may add to. */
    public Map<String, Object> producer() {
        return new HashMap<>(producer);
    }

    /** Admin client configuration; a copy the caller may add to. */
    public Map<String, Object> admin() {
        return new HashMap<>(admin);
    }

    private static boolean isProducer(final String name) {
        return ProducerConfig.configNames().contains(name);
    }

    private static boolean isAdmin(final String name) {
        return AdminClientConfig.configNames().contains(name);
    }
}
