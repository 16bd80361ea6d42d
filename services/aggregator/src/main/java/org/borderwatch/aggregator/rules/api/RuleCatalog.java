package org.borderwatch.aggregator.rules.api;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.borderwatch.avro.AlertRule;
import org.borderwatch.schemas.Topics;
import org.borderwatch.service.kafka.KafkaClients;
import org.borderwatch.service.kafka.TopicMirror;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules as {@code border.alert-rules.v1} holds them, for the rules API: the kit's {@link TopicMirror} reads the
 * compacted topic from the beginning (read_committed, no group) and keeps following it. A write through the API
 * waits until the catalog has read its own record back ({@link #awaitVisible}), so a client that created a rule
 * finds it in the next {@code GET}. The topology does not use this: it evaluates rules from its global store.
 *
 * <p>Remembers every id it has seen, deleted ones included, so the default rules are published only to a topic
 * that never held them (a deleted default rule stays deleted while its tombstone is retained).
 */
@Context
public final class RuleCatalog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RuleCatalog.class);

    private final Map<String, AlertRule> rules = new HashMap<>();
    private final Set<String> seen = new HashSet<>();
    private final TopicMirror<AlertRule> mirror;

    public RuleCatalog(final KafkaClients kafka) {
        this.mirror = new TopicMirror<>(Topics.ALERT_RULES, kafka, this::apply);
        mirror.caughtUp().thenRun(() -> LOG.info("Rule catalog read {} rules from {}", all().size(),
                Topics.ALERT_RULES.name()));
        mirror.start();
    }

    /** Completes once the catalog has read the topic up to the end it had when the catalog started. */
    public CompletableFuture<Void> caughtUp() {
        return mirror.caughtUp();
    }

    public synchronized List<AlertRule> all() {
        return List.copyOf(new TreeMap<>(rules).values());
    }

    public synchronized Optional<AlertRule> get(final String ruleId) {
        return Optional.ofNullable(rules.get(ruleId));
    }

    /** Whether the topic ever held {@code ruleId} as far as the catalog read, deleted or not. */
    public synchronized boolean everSeen(final String ruleId) {
        return seen.contains(ruleId);
    }

    /**
     * Waits until the catalog has read {@code written} (a record just written), at most {@code timeout}; false when
     * it did not in time (the write itself is done either way).
     */
    public boolean awaitVisible(final RecordMetadata written, final Duration timeout) {
        return mirror.awaitVisible(written, timeout);
    }

    private synchronized void apply(final ConsumerRecord<String, AlertRule> record, final AlertRule rule) {
        if (record.key() == null) {
            return;
        }
        seen.add(record.key());
        if (rule == null) {
            rules.remove(record.key());
        } else {
            rules.put(record.key(), rule);
        }
    }

    @PreDestroy
    @Override
    public void close() {
        mirror.close();
    }
}
