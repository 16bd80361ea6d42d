package org.borderwatch.service.kafka;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import org.borderwatch.avro.ConsoleSession;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;

/** The kit's clients for a test broker, made the way a service makes them: from {@code kafka.*} properties. */
final class KitFixtures {

    private KitFixtures() {
    }

    static KafkaClients clients(final EmbeddedKafkaCluster kafka, final Map<String, Object> properties) {
        final Map<String, Object> all = new HashMap<>();
        all.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        all.putAll(properties);
        final Environment environment = ApplicationContext.builder().properties(all).build().getEnvironment().start();
        return new KafkaClients(new KafkaSettings(environment), null);
    }

    static KafkaClients clients(final EmbeddedKafkaCluster kafka) {
        return clients(kafka, Map.of());
    }

    static ConsoleSession session(final String principal) {
        return ConsoleSession.newBuilder().setPrincipal(principal).setKeySha256("0".repeat(64))
                .setCreatedAt(Instant.ofEpochMilli(1_000)).setExpiresAt(Instant.ofEpochMilli(2_000)).build();
    }
}
