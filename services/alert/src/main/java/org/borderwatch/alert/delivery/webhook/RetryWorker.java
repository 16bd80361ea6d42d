package org.borderwatch.alert.delivery.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.borderwatch.service.kafka.KafkaSettings;
import org.borderwatch.alert.subscription.SubscriptionStore;
import org.borderwatch.avro.WebhookDelivery;
import org.borderwatch.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the retries kept in {@code border.webhook-retries.v1} (consumer group {@code <webhooks.group-id>-retries}):
 * each record waits in memory until its {@code notBefore}, then is attempted once; a failure writes the next retry as
 * a new record. A partition's committed offset never passes a record that has not been attempted yet, so after a
 * restart every pending retry is read again and resumed.
 */
@Context
public final class RetryWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RetryWorker.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);

    private record Pending(TopicPartition partition, long offset, WebhookDelivery delivery) {
        String key() {
            return partition + "@" + offset;
        }
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deliveries deliveries;
    private final SubscriptionStore subscriptions;
    private final WebhookMetrics metrics;
    private final ExecutorService executor;
    private final Thread thread;
    private final PriorityQueue<Pending> waiting = new PriorityQueue<>(
            Comparator.comparing((Pending p) -> p.delivery().getNotBefore()));
    private final Map<TopicPartition, TreeSet<Long>> unfinished = new HashMap<>();
    private final ConcurrentLinkedQueue<Pending> finished = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    public RetryWorker(final KafkaSettings settings, final WebhookConfig config, final Deliveries deliveries,
                       final SubscriptionStore subscriptions, final WebhookMetrics metrics) {
        this.deliveries = deliveries;
        this.subscriptions = subscriptions;
        this.metrics = metrics;
        final Map<String, Object> consumerConfig = settings.consumer();
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, config.retryGroupId());
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.executor = Executors.newFixedThreadPool(Math.max(1, config.threads() / 2), runnable -> {
            final Thread worker = new Thread(runnable, "webhook-retry-sender");
            worker.setDaemon(true);
            return worker;
        });
        this.thread = new Thread(this::run, "webhook-retries");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (!closed && !subscriptions.awaitCaughtUp(Duration.ofSeconds(30))) {
                LOG.info("Webhook retries wait for the subscriptions to load");
            }
            consumer.subscribe(List.of(Topics.WEBHOOK_RETRIES.name()), new CommitOnRevoke());
            Instant nextCommit = Instant.now().plus(COMMIT_INTERVAL);
            while (!closed) {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    accept(record);
                }
                startDue();
                collectFinished();
                if (Instant.now().isAfter(nextCommit)) {
                    commit(consumer.assignment());
                    nextCommit = Instant.now().plus(COMMIT_INTERVAL);
                }
            }
        } catch (final WakeupException e) {
            if (!closed) {
                LOG.error("Webhook retries woken up unexpectedly; they stop", e);
            }
        } catch (final RuntimeException e) {
            LOG.error("Webhook retries failed and stop; pending retries resume after a restart", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void accept(final ConsumerRecord<byte[], byte[]> record) {
        final TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        final WebhookDelivery delivery;
        try {
            delivery = Topics.WEBHOOK_RETRIES.valueSerde().deserializer().deserialize(record.topic(), record.value());
        } catch (final SerializationException e) {
            LOG.error("Skipping undecodable webhook retry {}@{}: {}", partition, record.offset(), e.getMessage());
            return;
        }
        if (delivery == null) {
            return;
        }
        final Pending pending = new Pending(partition, record.offset(), delivery);
        unfinished.computeIfAbsent(partition, p -> new TreeSet<>()).add(record.offset());
        waiting.add(pending);
        metrics.waiting(pending.key(), delivery.getFirstAttemptAt());
    }

    private void startDue() {
        final Instant now = Instant.now();
        while (!waiting.isEmpty() && !waiting.peek().delivery().getNotBefore().isAfter(now)) {
            final Pending due = waiting.poll();
            executor.execute(() -> {
                try {
                    deliveries.attempt(due.delivery());
                } catch (final RuntimeException e) {
                    LOG.error("Webhook retry {} failed unexpectedly; it is not retried", due.delivery()
                            .getWebhookId(), e);
                } finally {
                    finished.add(due);
                }
            });
        }
    }

    private void collectFinished() {
        for (Pending done = finished.poll(); done != null; done = finished.poll()) {
            final TreeSet<Long> offsets = unfinished.get(done.partition());
            if (offsets != null) {
                offsets.remove(done.offset());
            }
            metrics.done(done.key());
        }
    }

    /** Commits, per partition, the first offset not yet finished (or the position when all are). */
    private void commit(final Collection<TopicPartition> partitions) {
        final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (final TopicPartition partition : partitions) {
            final TreeSet<Long> open = unfinished.get(partition);
            final long offset = open == null || open.isEmpty() ? consumer.position(partition) : open.first();
            offsets.put(partition, new OffsetAndMetadata(offset));
        }
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets);
        }
    }

    private final class CommitOnRevoke implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(final Collection<TopicPartition> partitions) {
            collectFinished();
            commit(partitions);
            // The new owner reads the unfinished ones again from the committed offset.
            waiting.removeIf(pending -> {
                if (partitions.contains(pending.partition())) {
                    metrics.done(pending.key());
                    return true;
                }
                return false;
            });
            partitions.forEach(unfinished::remove);
        }

        @Override
        public void onPartitionsAssigned(final Collection<TopicPartition> partitions) {
            // Positions come from the committed offsets.
        }
    }

    @PreDestroy
    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
    }
}
