package org.borderwatch.alert.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka client configuration from the {@code kafka.*} properties, in Kafka's own names: {@code kafka.<name>} applies
 * to every client that knows the name (e.g. {@code kafka.bootstrap.servers}, {@code kafka.security.protocol});
 * {@code kafka.producer.<name>}, {@code kafka.consumer.<name>}, {@code kafka.admin.<name>} and
 * {@code kafka.streams.<name>} apply to one kind of client and win over the shared value. A key no client knows is
 * logged, so a typo does not pass unnoticed. (Same rules as the ingest service's settings.)
 */
@Singleton
public final class KafkaSettings {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSettings.class);

    private enum Kind {
        PRODUCER("producer.", ProducerConfig.configNames()),
        CONSUMER("consumer.", ConsumerConfig.configNames()),
        ADMIN("admin.", AdminClientConfig.configNames()),
        STREAMS("streams.", StreamsConfig.configDef().names());

        private final String prefix;
        private final Set<String> names;

        Kind(final String prefix, final Set<String> names) {
            this.prefix = prefix;
            this.names = names;
        }

        Set<String> allNames() {
            if (this != STREAMS) {
                return names;
            }
            final Set<String> all = new java.util.HashSet<>(names);
            all.addAll(ProducerConfig.configNames());
            all.addAll(ConsumerConfig.configNames());
            return all;
        }

        boolean knows(final String name) {
            // Streams passes producer and consumer settings on to its clients.
            return names.contains(name) || this == STREAMS
                    && (ProducerConfig.configNames().contains(name) || ConsumerConfig.configNames().contains(name));
        }
    }

    private final Map<Kind, Map<String, Object>> configs = new HashMap<>();

    public KafkaSettings(final Environment environment) {
        for (final Kind kind : Kind.values()) {
            final Map<String, Object> config = new HashMap<>();
            // Look every name up rather than listing kafka.*: environment variables (KAFKA_BOOTSTRAP_SERVERS) are
            // resolved on demand by Micronaut and never appear in a listing.
            for (final String name : kind.allNames()) {
                environment.getProperty("kafka." + name, String.class).ifPresent(value -> config.put(name, value));
            }
            for (final String name : kind.allNames()) {
                environment.getProperty("kafka." + kind.prefix + name, String.class)
                        .ifPresent(value -> config.put(name, value));
            }
            configs.put(kind, config);
        }
        final Set<String> unknown = new TreeSet<>();
        environment.getProperties("kafka", StringConvention.RAW).keySet().forEach(key -> {
            final boolean known = java.util.Arrays.stream(Kind.values()).anyMatch(kind -> kind.knows(key)
                    || key.startsWith(kind.prefix) && kind.knows(key.substring(kind.prefix.length())));
            if (!known && !key.contains("-")) {
                unknown.add(key);
            }
        });
        if (!unknown.isEmpty()) {
            LOG.warn("Ignoring kafka.* settings that no Kafka client knows: {}", unknown);
        }
        LOG.info("Kafka clients connect to {}", configs.get(Kind.CONSUMER).get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
    }

    /** Producer configuration; a copy the caller may add to. */
    public Map<String, Object> producer() {
        return new HashMap<>(configs.get(Kind.PRODUCER));
    }

    /** Consumer configuration; a copy the caller may add to. */
    public Map<String, Object> consumer() {
        return new HashMap<>(configs.get(Kind.CONSUMER));
    }

    /** Admin client configuration; a copy the caller may add to. */
    public Map<String, Object> admin() {
        return new HashMap<>(configs.get(Kind.ADMIN));
    }

    /** Kafka Streams configuration; a copy the caller may add to. */
    public Map<String, Object> streams() {
        return new HashMap<>(configs.get(Kind.STREAMS));
    }

    public String bootstrapServers() {
        return String.valueOf(configs.get(Kind.CONSUMER).get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
    }
}
