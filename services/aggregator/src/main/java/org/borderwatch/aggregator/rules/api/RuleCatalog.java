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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.borderwatch.service.kafka.KafkaSettings;
import org.borderwatch.avro.AlertRule;
import org.borderwatch.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules as {@code border.alert-rules.v1} holds them, for the rules API: a consumer on its own thread reads the
 * compacted topic from the beginning (read_committed, by assignment, no group) and keeps following it. A write
 * through the API waits until the catalog has read its own record back, so a client that created a rule finds it
 * in the next {@code GET}. The topology does not use this: it evaluates rules from its global store.
 *
 * <p>Remembers every id it has seen, deleted ones included, so the default rules are published only to a topic
 * that never held them (a deleted default rule stays deleted while its tombstone is retained).
 */
@Context
public final class RuleCatalog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RuleCatalog.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration RETRY = Duration.ofSeconds(2);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final Map<String, AlertRule> rules = new HashMap<>();
    private final Set<String> seen = new HashSet<>();
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private volatile boolean running = true;

    public RuleCatalog(final KafkaSettings settings) {
        final Map<String, Object> config = settings.consumer();
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "borderwatch-aggregator-rule-catalog");
        this.consumer = new KafkaConsumer<>(config, Topics.KEY.deserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "rule-catalog");
        thread.setDaemon(true);
        thread.start();
    }

    /** Completes once the catalog has read the topic up to the end it had when the catalog started. */
    public CompletableFuture<Void> caughtUp() {
        return caughtUp;
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
     * Waits until the catalog has read past {@code offset} of {@code partition} (a record just written), at most
     * {@code timeout}; false when it did not in time (the write itself is done either way).
     */
    public synchronized boolean awaitRead(final TopicPartition partition, final long offset, final Duration timeout)
            throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (positions.getOrDefault(partition, -1L) <= offset) {
            final long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    private void run() {
        try {
            final List<TopicPartition> partitions = partitions();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (running) {
                final var records = consumer.poll(POLL);
                synchronized (this) {
                    for (final ConsumerRecord<String, byte[]> record : records) {
                        apply(record);
                    }
                    for (final TopicPartition partition : partitions) {
                        positions.put(partition, consumer.position(partition));
                    }
                    notifyAll();
                }
                if (!caughtUp.isDone() && partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p))) {
                    LOG.info("Rule catalog read {} rules from {}", all().size(), Topics.ALERT_RULES.name());
                    caughtUp.complete(null);
                }
            }
        } catch (final WakeupException e) {
            // close() stops the loop.
        } catch (final RuntimeException e) {
            LOG.error("The rule catalog stopped reading {}: {}; the rules API answers from what it read so far",
                    Topics.ALERT_RULES.name(), e.toString(), e);
            caughtUp.completeExceptionally(e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private List<TopicPartition> partitions() {
        boolean warned = false;
        while (running) {
            try {
                final List<TopicPartition> partitions = consumer.partitionsFor(Topics.ALERT_RULES.name(),
                        Duration.ofSeconds(10)).stream()
                        .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
                if (!partitions.isEmpty()) {
                    return partitions;
                }
            } catch (final org.apache.kafka.common.errors.TimeoutException e) {
                // Kafka is not reachable yet: same as a missing topic, try again.
            }
            if (!warned) {
                LOG.warn("Topic {} is not available yet; the rules API answers 503 until it is",
                        Topics.ALERT_RULES.name());
                warned = true;
            }
            synchronized (this) {
                try {
                    wait(RETRY.toMillis());
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new WakeupException();
                }
            }
        }
        throw new WakeupException();
    }

    private void apply(final ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        seen.add(record.key());
        if (record.value() == null) {
            rules.remove(record.key());
            return;
        }
        try {
            rules.put(record.key(), Topics.ALERT_RULES.valueSerde().deserializer()
                    .deserialize(record.topic(), record.value()));
        } catch (final RuntimeException e) {
            LOG.warn("Skipping undecodable rule {} at {}-{}@{}: {}", record.key(), record.topic(),
                    record.partition(), record.offset(), e.getMessage());
        }
    }

    @PreDestroy
    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        synchronized (this) {
            notifyAll();
        }
        thread.join(Duration.ofSeconds(5).toMillis());
    }
}
