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

import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.borderwatch.service.kafka.ConsumerLoop;
import org.borderwatch.service.kafka.KafkaClients;
import org.borderwatch.service.kafka.NewGroups;
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
 *
 * <p>Only the latest record of a notification's key counts ({@link Deliveries}): a record followed by a later one of
 * the same key — the next retry, or the tombstone of a final outcome — is dropped unattempted. So that "later" is
 * known before anything is attempted, a newly assigned partition is read up to its end first. A retry read again
 * after a crash, a rebalance or by a new group therefore never starts a second chain nor repeats a success. A group
 * without committed offsets starts at the end of the topic, like every group of this service.
 *
 * <p>Runs on the kit's {@link ConsumerLoop}: reading each partition to its end before acting, committing the first
 * unfinished offset per partition and committing on close are not what a micronaut-kafka listener does.
 */
@Context
public final class RetryWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RetryWorker.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);

    private record Pending(TopicPartition partition, long offset, String key, WebhookDelivery delivery) {
        String position() {
            return partition + "@" + offset;
        }
    }

    private final Deliveries deliveries;
    private final SubscriptionStore subscriptions;
    private final WebhookMetrics metrics;
    private final ExecutorService executor;
    private final ConsumerLoop loop;
    private final PriorityQueue<Pending> waiting = new PriorityQueue<>(
            Comparator.comparing((Pending p) -> p.delivery().getNotBefore()));
    /** The waiting record of each notification key: a later record of the key replaces it. */
    private final Map<String, Pending> latest = new HashMap<>();
    private final Map<TopicPartition, TreeSet<Long>> unfinished = new HashMap<>();
    /** Assigned partitions not yet read up to the end they had when assigned: nothing is attempted meanwhile. */
    private final Map<TopicPartition, Long> catchingUp = new HashMap<>();
    private final ConcurrentLinkedQueue<Pending> finished = new ConcurrentLinkedQueue<>();
    private volatile boolean assigned;
    private volatile int catchingUpSize;

    public RetryWorker(final KafkaClients kafka, final WebhookConfig config, final Deliveries deliveries,
                       final SubscriptionStore subscriptions, final WebhookMetrics metrics) {
        this.deliveries = deliveries;
        this.subscriptions = subscriptions;
        this.metrics = metrics;
        final Map<String, Object> consumerConfig = new HashMap<>();
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, config.retryGroupId());
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        this.executor = Executors.newFixedThreadPool(Math.max(1, config.threads() / 2), runnable -> {
            final Thread worker = new Thread(runnable, "webhook-retry-sender");
            worker.setDaemon(true);
            return worker;
        });
        this.loop = new ConsumerLoop(kafka, "webhook-retries", consumerConfig, POLL, new Body());
        loop.start();
    }

    /** Whether this instance has joined the retries group and read its partitions' pending retries (tests). */
    public boolean isAssigned() {
        return assigned && catchingUpSize == 0;
    }

    private final class Body implements ConsumerLoop.Body {

        private Instant nextCommit = Instant.now().plus(COMMIT_INTERVAL);

        @Override
        public void start(final Consumer<byte[], byte[]> consumer) {
            final long logEvery = 30;
            for (long checks = 1; !loop.isClosing() && !subscriptions.awaitCaughtUp(Duration.ofSeconds(1));
                 checks++) {
                if (checks % logEvery == 0) {
                    LOG.info("Webhook retries wait for the subscriptions to load");
                }
            }
            consumer.subscribe(List.of(Topics.WEBHOOK_RETRIES.name()), new Rebalance(consumer));
        }

        @Override
        public void polled(final Consumer<byte[], byte[]> consumer, final ConsumerRecords<byte[], byte[]> records) {
            for (final ConsumerRecord<byte[], byte[]> record : records) {
                accept(record);
            }
            catchingUp.entrySet().removeIf(entry -> consumer.position(entry.getKey()) >= entry.getValue());
            catchingUpSize = catchingUp.size();
            if (catchingUp.isEmpty()) {
                startDue();
            }
            collectFinished();
            if (Instant.now().isAfter(nextCommit)) {
                commit(consumer, consumer.assignment());
                nextCommit = Instant.now().plus(COMMIT_INTERVAL);
            }
        }

        /** A clean stop commits what is done, so a restart does not read finished retries again. */
        @Override
        public void stopping(final Consumer<byte[], byte[]> consumer) {
            collectFinished();
            commit(consumer, consumer.assignment());
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
        // From the value when there is one: records written before keys named the notification had the
        // subscription id as key.
        final String key = delivery != null ? Deliveries.key(delivery)
                : Topics.WEBHOOK_RETRIES.keySerde().deserializer().deserialize(record.topic(), record.key());
        final Pending superseded = latest.remove(key);
        if (superseded != null && waiting.remove(superseded)) {
            LOG.debug("Webhook retry {} is superseded by {}@{}", superseded.position(), partition, record.offset());
            finished.add(superseded);
        }
        if (delivery == null) {
            return;
        }
        final Pending pending = new Pending(partition, record.offset(), key, delivery);
        unfinished.computeIfAbsent(partition, p -> new TreeSet<>()).add(record.offset());
        waiting.add(pending);
        latest.put(key, pending);
        metrics.waiting(pending.position(), delivery.getFirstAttemptAt());
    }

    private void startDue() {
        final Instant now = Instant.now();
        while (!waiting.isEmpty() && !waiting.peek().delivery().getNotBefore().isAfter(now)) {
            final Pending due = waiting.poll();
            latest.remove(due.key(), due);
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
            metrics.done(done.position());
        }
    }

    /** Commits, per partition, the first offset not yet finished (or the position when all are). */
    private void commit(final Consumer<byte[], byte[]> consumer, final Collection<TopicPartition> partitions) {
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

    private final class Rebalance implements ConsumerRebalanceListener {

        private final Consumer<byte[], byte[]> consumer;

        Rebalance(final Consumer<byte[], byte[]> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void onPartitionsRevoked(final Collection<TopicPartition> partitions) {
            collectFinished();
            commit(consumer, partitions);
            // The new owner reads the unfinished ones again from the committed offset.
            waiting.removeIf(pending -> {
                if (partitions.contains(pending.partition())) {
                    metrics.done(pending.position());
                    return true;
                }
                return false;
            });
            latest.values().removeIf(pending -> partitions.contains(pending.partition()));
            partitions.forEach(unfinished::remove);
            partitions.forEach(catchingUp::remove);
        }

        @Override
        public void onPartitionsAssigned(final Collection<TopicPartition> partitions) {
            NewGroups.startAtEnd(consumer, partitions);
            // Positions come from the committed offsets; what lies between them and the end is read before any
            // attempt, so a record's successor is known before the record could run.
            consumer.endOffsets(partitions).forEach(catchingUp::put);
            catchingUpSize = catchingUp.size();
            assigned = true;
        }
    }

    @PreDestroy
    @Override
    public void close() {
        loop.close();
        executor.shutdownNow();
    }
}
