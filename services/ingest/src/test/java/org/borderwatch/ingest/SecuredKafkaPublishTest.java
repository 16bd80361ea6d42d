package org.borderwatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.borderwatch.avro.BorderIncident;
import org.borderwatch.kafka.access.AccessPolicy;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.borderwatch.kafka.embedded.Security;
import org.borderwatch.schemas.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest service on a SASL_SSL broker with the borderwatch ACLs, configured only through {@code kafka.*}
 * properties (what {@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_JAAS_CONFIG}, ... set in a deployment):
 * its producer and its readiness check both authenticate as the {@code ingest} principal.
 */
class SecuredKafkaPublishTest {

    @TempDir
    static Path dir;

    private static EmbeddedKafkaCluster kafka;
    private static IngestApp app;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafkaCluster.builder().security(Security.saslSsl()).build().start();
        kafka.createTopics();
        final Map<String, Object> properties = new HashMap<>();
        kafka.clientProperties(AccessPolicy.INGEST).forEach((key, value) -> properties.put("kafka." + key, value));
        app = IngestApp.start(kafka, dir, properties);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldPublishOverSaslSslWhenTheServiceHasItsOwnPrincipal() {
        final Map<String, Object> incident = Reports.incident();

        final HttpResponse<String> response = app.postJson("/v1/incidents", incident);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(incidentIds()).contains((String) incident.get("eventId"));
        assertThat(app.get("/health").statusCode()).isEqualTo(200);
    }

    /** Reads the incidents topic as the aggregator, the principal that may. */
    private static List<String> incidentIds() {
        final Map<String, Object> props = new HashMap<>(kafka.clientProperties(AccessPolicy.AGGREGATOR));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(CommonClientConfigs.CLIENT_ID_CONFIG, "secured-publish-test");
        final List<String> ids = new ArrayList<>();
        try (KafkaConsumer<String, BorderIncident> consumer = new KafkaConsumer<>(props,
                Topics.INCIDENTS.keySerde().deserializer(), Topics.INCIDENTS.valueSerde().deserializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(Topics.INCIDENTS.name(),
                    Duration.ofSeconds(10)).stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            final Instant deadline = Instant.now().plusSeconds(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && Instant.now().isBefore(deadline)) {
                for (final ConsumerRecord<String, BorderIncident> record : consumer.poll(Duration.ofMillis(200))) {
                    ids.add(record.value().getEventId().toString());
                }
            }
        }
        return ids;
    }
}
