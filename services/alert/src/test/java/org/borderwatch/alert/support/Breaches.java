package org.borderwatch.alert.support;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.borderwatch.avro.Breach;
import org.borderwatch.avro.BreachStatus;
import org.borderwatch.avro.Metric;
import org.borderwatch.avro.Severity;
import org.borderwatch.avro.ThreatType;
import org.borderwatch.schemas.Topics;

/**
 * Plays the aggregator: writes breaches to {@code border.breaches.v1} in transactions, as Kafka Streams with
 * exactly_once_v2 would, so the alert service reads them with read_committed.
 */
public final class Breaches implements AutoCloseable {

    private final KafkaProducer<String, Breach> producer;

    public Breaches(final String bootstrapServers) {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-aggregator-" + UUID.randomUUID()),
                Topics.BREACHES.keySerde().serializer(), Topics.BREACHES.valueSerde().serializer());
        producer.initTransactions();
    }

    /** Writes the breaches in one committed transaction. */
    public void send(final Breach... breaches) {
        producer.beginTransaction();
        for (final Breach breach : breaches) {
            producer.send(new ProducerRecord<>(Topics.BREACHES.name(), breach.getBreachId(), breach));
        }
        producer.commitTransaction();
    }

    /** Writes the breaches in a transaction that is then aborted: read_committed readers never see them. */
    public void sendAborted(final Breach... breaches) {
        producer.beginTransaction();
        for (final Breach breach : breaches) {
            producer.send(new ProducerRecord<>(Topics.BREACHES.name(), breach.getBreachId(), breach));
        }
        producer.flush();
        producer.abortTransaction();
    }

    public static Breach breach(final String ruleId, final String region, final ThreatType threatType,
                                final BreachStatus status, final Severity severity, final long version) {
        final Instant now = Instant.now();
        return Breach.newBuilder()
                .setBreachId(ruleId + "|" + region + "|" + threatType)
                .setRuleId(ruleId)
                .setRuleName("Rule " + ruleId)
                .setRegion(region)
                .setThreatType(threatType)
                .setStatus(status)
                .setSeverity(severity)
                .setMetric(Metric.EVENT_COUNT)
                .setObservedValue(status == BreachStatus.RESOLVED ? 1 : 12)
                .setThreshold(10)
                .setWindow("PT1H")
                .setWindowStart(now.minusSeconds(3600))
                .setWindowEnd(now)
                .setStartsAt(now.minusSeconds(60))
                .setUpdatedAt(now)
                .setVersion(version)
                .build();
    }

    public static Breach firing(final String ruleId, final String region, final ThreatType threatType) {
        return breach(ruleId, region, threatType, BreachStatus.FIRING, Severity.HIGH, 1);
    }

    public static Breach resolved(final Breach firing, final long version) {
        return Breach.newBuilder(breach(firing.getRuleId(), firing.getRegion(), firing.getThreatType(),
                BreachStatus.RESOLVED, firing.getSeverity(), version)).setStartsAt(firing.getStartsAt()).build();
    }

    @Override
    public void close() {
        producer.close();
    }
}
