package org.borderwatch.aggregator.service;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.borderwatch.aggregator.Reports;
import org.borderwatch.aggregator.store.StoreNames;
import org.borderwatch.avro.BorderIncident;
import org.borderwatch.avro.ThreatType;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.borderwatch.schemas.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling upgrade from the releases that remembered each counted eventId as one record of the {@code event-ids}
 * window store: a retry of a report they counted is still dropped by this release, which remembers new ids in
 * {@code event-id-batches} and reads the old store's restored content at initialisation.
 */
class DedupUpgradeTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void shouldDropARetryOfAReportCountedByAnEarlierReleaseWhenItsIdIsOnlyInTheOldStore() throws Exception {
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start()) {
            kafka.createTopics();
            final String applicationId = AggregatorApp.uniqueApplicationId("upgrade");
            final Instant occurredAt = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
            final BorderIncident countedBefore = incident(occurredAt);
            final BorderIncident fresh = incident(occurredAt.plusMillis(1));

            // Given the earlier release's changelog of event-ids, holding the id it counted (its window-store record:
            // key bytes, 8-byte timestamp, 4-byte sequence number; value the 8-byte occurredAt)
            final String changelog = applicationId + "-" + StoreNames.EVENT_IDS_STORE + "-changelog";
            final int partitions;
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers()))) {
                partitions = admin.describeTopics(List.of(Topics.INCIDENTS.name())).allTopicNames().get()
                        .get(Topics.INCIDENTS.name()).partitions().size();
                admin.createTopics(List.of(new NewTopic(changelog, partitions, (short) 1)
                        .configs(Map.of("cleanup.policy", "compact,delete")))).all().get();
            }
            final byte[] idBytes = countedBefore.getEventId().toString().getBytes(UTF_8);
            final byte[] key = ByteBuffer.allocate(idBytes.length + 12).put(idBytes)
                    .putLong(occurredAt.toEpochMilli()).putInt(0).array();
            final byte[] value = ByteBuffer.allocate(8).putLong(occurredAt.toEpochMilli()).array();
            final int partition = Utils.toPositive(Utils.murmur2("TJ-KT".getBytes(UTF_8))) % partitions;
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG,
                    "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(changelog, partition, occurredAt.toEpochMilli(), key, value))
                        .get();
            }

            // When the agency retries that report, and sends a new one, and this release starts
            KafkaIo.produce(kafka.bootstrapServers(), Topics.INCIDENTS,
                    Map.of("TJ-KT", List.of(countedBefore, fresh)));
            try (AggregatorApp aggregator = AggregatorApp.start(kafka, Credentials.write(dir), dir.resolve("state"),
                    Map.of("borderwatch.aggregator.application-id", applicationId))) {

                // Then only the new report is counted, and the retry is counted as a duplicate
                final Instant hour = occurredAt.truncatedTo(ChronoUnit.HOURS);
                final String query = "/v1/aggregates?region=TJ-KT&window=PT1H&from=" + hour + "&to="
                        + hour.plusSeconds(3600);
                await().atMost(WAIT).untilAsserted(() -> assertThat(aggregator.http.list(
                        aggregator.http.get(query, Credentials.ANALYST_KEY), "aggregates"))
                        .extracting(a -> a.get("threatType"), a -> a.get("eventCount"))
                        .containsExactly(tuple("ARMED_INCURSION", 1)));
                await().atMost(WAIT).untilAsserted(() -> assertThat(aggregator.http.get("/prometheus", null).body())
                        .containsPattern("borderwatch_aggregator_duplicate_events_total 1\\.0\\b"));
            }
        }
    }

    private static BorderIncident incident(final Instant occurredAt) {
        return BorderIncident.newBuilder(Reports.incident("TJ-KT", ThreatType.ARMED_INCURSION, "10:00"))
                .setEventId(UUID.randomUUID()).setOccurredAt(occurredAt).setReportedAt(occurredAt).build();
    }
}
