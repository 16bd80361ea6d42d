package org.borderwatch.alert.delivery.webhook;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.borderwatch.service.kafka.KafkaSettings;
import org.borderwatch.service.kafka.NewGroups;
import org.borderwatch.alert.log.AlertLog;
import org.borderwatch.alert.silence.NotificationPolicy;
import org.borderwatch.alert.silence.SilenceStore;
import org.borderwatch.alert.subscription.SubscriptionStore;
import org.borderwatch.avro.Alert;
import org.borderwatch.avro.Subscription;
import org.borderwatch.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code border.alerts.v1} in the consumer group {@code borderwatch.alert.webhooks.group-id}, so each alert
 * change is handled by exactly one instance, and makes the first attempt for every enabled webhook subscription that
 * should be notified (filter, owner's regions, silences). Offsets are committed after the attempts of a batch and the
 * retries they scheduled are in Kafka: after a crash a change may be attempted again (same webhook-id), never lost.
 * A group that has no committed offset starts at the end of the log: a new deployment does not replay history.
 */
@Context
public final class WebhookDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration STORE_WAIT = Duration.ofSeconds(30);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AlertLog log;
    private final SubscriptionStore subscriptions;
    private final SilenceStore silences;
    private final NotificationPolicy policy;
    private final Deliveries deliveries;
    private final ExecutorService executor;
    private final Thread thread;
    private volatile boolean closed;
    private volatile boolean assigned;

    public WebhookDispatcher(final KafkaSettings settings, final WebhookConfig config, final AlertLog log,
                             final SubscriptionStore subscriptions, final SilenceStore silences,
                             final NotificationPolicy policy, final Deliveries deliveries) {
        this.log = log;
        this.subscriptions = subscriptions;
        this.silences = silences;
        this.policy = policy;
        this.deliveries = deliveries;
        final Map<String, Object> consumerConfig = settings.consumer();
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        consumerConfig.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
        this.consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.executor = Executors.newFixedThreadPool(config.threads(), runnable -> {
            final Thread worker = new Thread(runnable, "webhook-sender");
            worker.setDaemon(true);
            return worker;
        });
        this.thread = new Thread(this::run, "webhook-dispatcher");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether this instance has joined the group and owns its partitions (readiness, tests). */
    public boolean isAssigned() {
        return assigned;
    }

    private void run() {
        try {
            // Deciding who to notify needs every subscription, silence and the alert's history.
            while (!closed && !(subscriptions.awaitCaughtUp(STORE_WAIT) && silences.awaitCaughtUp(STORE_WAIT)
                    && log.awaitCaughtUp(STORE_WAIT))) {
                LOG.info("Webhook dispatcher waits for subscriptions, silences and the alert log to load");
            }
            consumer.subscribe(List.of(Topics.ALERTS.name()), new StartAtEndWhenNew());
            while (!closed) {
                final var records = consumer.poll(POLL);
                final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                final List<CompletableFuture<Void>> attempts = new ArrayList<>();
                for (final ConsumerRecord<byte[], byte[]> record : records) {
                    dispatch(record, attempts);
                    offsets.put(new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1));
                }
                CompletableFuture.allOf(attempts.toArray(CompletableFuture[]::new)).join();
                if (!offsets.isEmpty()) {
                    consumer.commitSync(offsets);
                }
            }
        } catch (final WakeupException e) {
            if (!closed) {
                LOG.error("Webhook dispatcher woken up unexpectedly; it stops", e);
            }
        } catch (final RuntimeException e) {
            LOG.error("Webhook dispatcher failed and stops; uncommitted alert changes are dispatched after a restart",
                    e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void dispatch(final ConsumerRecord<byte[], byte[]> record, final List<CompletableFuture<Void>> attempts) {
        final Alert alert;
        try {
            alert = Topics.ALERTS.valueSerde().deserializer().deserialize(record.topic(), record.value());
        } catch (final SerializationException e) {
            LOG.error("Skipping undecodable alert {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            return;
        }
        if (alert == null) {
            return;
        }
        // The notification policy and CAP need the alert's history up to this change.
        if (!log.awaitPosition(record.partition(), record.offset(), STORE_WAIT)) {
            LOG.warn("Alert log has not read {}-{}@{} yet; dispatching with the history it has",
                    record.topic(), record.partition(), record.offset());
        }
        for (final Subscription subscription : subscriptions.webhooks()) {
            if (policy.notifies(alert, change -> SubscriptionStore.matches(subscription, change),
                    subscription.getSubscriptionId())) {
                attempts.add(CompletableFuture.runAsync(() -> deliveries.attempt(
                        deliveries.first(subscription, alert)), executor));
            }
        }
    }

    /** A group that never committed starts at the end ({@link NewGroups}). */
    private final class StartAtEndWhenNew implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(final Collection<TopicPartition> partitions) {
            NewGroups.startAtEnd(consumer, partitions);
            assigned = true;
        }

        @Override
        public void onPartitionsRevoked(final Collection<TopicPartition> partitions) {
            // Offsets are committed after every batch; nothing is in flight between polls.
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
