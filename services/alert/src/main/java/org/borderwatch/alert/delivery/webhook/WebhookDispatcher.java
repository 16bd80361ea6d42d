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

import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.borderwatch.service.kafka.ConsumerLoop;
import org.borderwatch.service.kafka.KafkaClients;
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
 *
 * <p>Runs on the kit's {@link ConsumerLoop}, not a micronaut-kafka {@code @KafkaListener}: it must not join its group
 * before subscriptions, silences and the alert log are loaded, and a new group commits its end at once
 * ({@link NewGroups}); see services/common's README, Decisions.
 */
@Context
public final class WebhookDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration STORE_WAIT = Duration.ofSeconds(30);
    private static final Duration STORE_CHECK = Duration.ofSeconds(1);

    private final AlertLog log;
    private final SubscriptionStore subscriptions;
    private final SilenceStore silences;
    private final NotificationPolicy policy;
    private final Deliveries deliveries;
    private final ExecutorService executor;
    private final ConsumerLoop loop;
    private volatile boolean assigned;

    public WebhookDispatcher(final KafkaClients kafka, final WebhookConfig config, final AlertLog log,
                             final SubscriptionStore subscriptions, final SilenceStore silences,
                             final NotificationPolicy policy, final Deliveries deliveries) {
        this.log = log;
        this.subscriptions = subscriptions;
        this.silences = silences;
        this.policy = policy;
        this.deliveries = deliveries;
        final Map<String, Object> consumerConfig = new HashMap<>();
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, kafka.settings().consumer()
                .getOrDefault(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"));
        consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, kafka.settings().consumer()
                .getOrDefault(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100));
        this.executor = Executors.newFixedThreadPool(config.threads(), runnable -> {
            final Thread worker = new Thread(runnable, "webhook-sender");
            worker.setDaemon(true);
            return worker;
        });
        this.loop = new ConsumerLoop(kafka, "webhook-dispatcher", consumerConfig, POLL, new Body());
        loop.start();
    }

    /** Whether this instance has joined the group and owns its partitions (readiness, tests). */
    public boolean isAssigned() {
        return assigned;
    }

    private final class Body implements ConsumerLoop.Body {

        @Override
        public void start(final Consumer<byte[], byte[]> consumer) {
            // Deciding who to notify needs every subscription, silence and the alert's history.
            final long logEvery = STORE_WAIT.toMillis() / STORE_CHECK.toMillis();
            for (long checks = 1; !loop.isClosing() && !(subscriptions.awaitCaughtUp(STORE_CHECK)
                    && silences.awaitCaughtUp(STORE_CHECK) && log.awaitCaughtUp(STORE_CHECK)); checks++) {
                if (checks % logEvery == 0) {
                    LOG.info("Webhook dispatcher waits for subscriptions, silences and the alert log to load");
                }
            }
            consumer.subscribe(List.of(Topics.ALERTS.name()), new StartAtEndWhenNew(consumer));
        }

        @Override
        public void polled(final Consumer<byte[], byte[]> consumer, final ConsumerRecords<byte[], byte[]> records) {
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

        private final Consumer<byte[], byte[]> consumer;

        StartAtEndWhenNew(final Consumer<byte[], byte[]> consumer) {
            this.consumer = consumer;
        }

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
        loop.close();
        executor.shutdownNow();
    }
}
