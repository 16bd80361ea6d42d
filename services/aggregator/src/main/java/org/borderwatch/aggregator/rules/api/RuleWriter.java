package org.borderwatch.aggregator.rules.api;

import java.time.Duration;

import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.borderwatch.avro.AlertRule;
import org.borderwatch.schemas.Topics;
import org.borderwatch.service.kafka.AcknowledgedWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes rules to {@code border.alert-rules.v1} (key ruleId; null deletes) through the service's
 * {@link AcknowledgedWriter} ({@code acks=all}, idempotent), and returns only once Kafka acknowledged the record and
 * the {@link RuleCatalog} has read it back. When Kafka does not acknowledge within {@code max.block.ms} +
 * {@code delivery.timeout.ms}, the caller gets a 503 with {@code Retry-After} saying the outcome is unknown: safe to
 * repeat, a rule is stored once under its id.
 */
@Singleton
public final class RuleWriter {

    private static final Logger LOG = LoggerFactory.getLogger(RuleWriter.class);
    /** How long a write waits to see itself in the catalog; past it, the answer still stands (Kafka has it). */
    private static final Duration READ_BACK = Duration.ofSeconds(10);

    private final AcknowledgedWriter writer;
    private final RuleCatalog catalog;
    private final AcknowledgedWriter.OutcomeUnknown outcomeUnknown;

    public RuleWriter(final AcknowledgedWriter writer, final RuleCatalog catalog, final RulesHost aggregator) {
        this.writer = writer;
        this.catalog = catalog;
        this.outcomeUnknown = new AcknowledgedWriter.OutcomeUnknown("rule",
                "Send the same request again later; it is stored once.", aggregator.retryAfter());
    }

    /** Writes {@code rule} under its id. */
    public RecordMetadata put(final AlertRule rule) {
        return write(rule.getRuleId(), rule);
    }

    /** Writes the tombstone of {@code ruleId}: the topology resolves its breaches, compaction forgets it. */
    public RecordMetadata delete(final String ruleId) {
        return write(ruleId, null);
    }

    private RecordMetadata write(final String ruleId, final AlertRule rule) {
        final RecordMetadata metadata = writer.write(Topics.ALERT_RULES, ruleId, rule, null, outcomeUnknown);
        if (!catalog.awaitVisible(metadata, READ_BACK)) {
            LOG.warn("Rule {} is stored at {}-{}@{} but the catalog has not read it within {}", ruleId,
                    metadata.topic(), metadata.partition(), metadata.offset(), READ_BACK);
        }
        LOG.info("{} rule {} at {}-{}@{}", rule == null ? "Deleted" : "Stored", ruleId, metadata.topic(),
                metadata.partition(), metadata.offset());
        return metadata;
    }
}
