package org.borderwatch.aggregator.rules.api;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.borderwatch.service.kafka.KafkaSettings;
import org.borderwatch.avro.AlertRule;
import org.borderwatch.schemas.Topics;
import org.borderwatch.service.problem.ProblemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes rules to {@code border.alert-rules.v1} (key ruleId; null deletes) through one idempotent producer with
 * {@code acks=all}, and returns only once Kafka acknowledged the record and the {@link RuleCatalog} has read it back.
 * When Kafka does not acknowledge within {@code max.block.ms} + {@code delivery.timeout.ms}, the record has expired
 * unsent and the caller gets a 503 with {@code Retry-After}: safe to repeat.
 */
@Context
public final class RuleWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RuleWriter.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    /** How long a write waits to see itself in the catalog; past it, the answer still stands (Kafka has it). */
    private static final Duration READ_BACK = Duration.ofSeconds(10);

    private final Producer<String, byte[]> producer;
    private final RuleCatalog catalog;
    private final Duration retryAfter;

    public RuleWriter(final KafkaSettings settings, final RuleCatalog catalog, final RulesHost aggregator) {
        final Map<String, Object> config = settings.producer();
        // The acknowledgement contract of the API rests on these; no configuration may weaken them.
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "borderwatch-aggregator-rules");
        this.producer = new KafkaProducer<>(config, Topics.KEY.serializer(), new ByteArraySerializer());
        this.catalog = catalog;
        this.retryAfter = aggregator.retryAfter();
    }

    /** Writes {@code rule} under its id. */
    public RecordMetadata put(final AlertRule rule) {
        return send(rule.getRuleId(), Topics.ALERT_RULES.valueSerde().serializer()
                .serialize(Topics.ALERT_RULES.name(), rule));
    }

    /** Writes the tombstone of {@code ruleId}: the topology resolves its breaches, compaction forgets it. */
    public RecordMetadata delete(final String ruleId) {
        return send(ruleId, null);
    }

    private RecordMetadata send(final String ruleId, final byte[] value) {
        final RecordMetadata metadata;
        try {
            metadata = producer.send(new ProducerRecord<>(Topics.ALERT_RULES.name(), ruleId, value)).get();
        } catch (final ExecutionException | RuntimeException e) {
            final Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            LOG.warn("Kafka did not acknowledge rule {} ({}); answered 503", ruleId, cause.toString());
            // A timeout is not a refusal: a stalled broker may still write the record.
            throw ProblemException.unavailable("Kafka did not acknowledge the rule in time: the outcome is unknown,"
                    + " it may or may not be stored. Send the same request again later; it is stored once.",
                    retryAfter);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProblemException.unavailable("Interrupted while waiting for Kafka; the rule may not be stored.",
                    retryAfter);
        }
        try {
            if (!catalog.awaitRead(new TopicPartition(metadata.topic(), metadata.partition()), metadata.offset(),
                    READ_BACK)) {
                LOG.warn("Rule {} is stored at {}-{}@{} but the catalog has not read it within {}", ruleId,
                        metadata.topic(), metadata.partition(), metadata.offset(), READ_BACK);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("{} rule {} at {}-{}@{}", value == null ? "Deleted" : "Stored", ruleId, metadata.topic(),
                metadata.partition(), metadata.offset());
        return metadata;
    }

    @PreDestroy
    @Override
    public void close() {
        producer.close(CLOSE_TIMEOUT);
    }
}
