package org.borderwatch.alert.subscription;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.borderwatch.service.kafka.KafkaClients;
import org.borderwatch.service.kafka.AcknowledgedWriter;
import org.borderwatch.service.kafka.TopicMirror;
import org.borderwatch.service.security.RegionPatterns;
import org.borderwatch.avro.Alert;
import org.borderwatch.avro.Subscription;
import org.borderwatch.avro.SubscriptionChannel;
import org.borderwatch.schemas.Topics;

/** Every subscription, read from the compacted {@code border.subscriptions.v1} (so a restart loses none). */
@Context
public final class SubscriptionStore implements AutoCloseable {

    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final TopicMirror<Subscription> mirror;
    private final AcknowledgedWriter writer;

    public SubscriptionStore(final KafkaClients kafka, final AcknowledgedWriter writer) {
        this.writer = writer;
        this.mirror = new TopicMirror<>(Topics.SUBSCRIPTIONS, kafka, (record, subscription) -> {
            if (subscription == null) {
                subscriptions.remove(record.key());
            } else {
                subscriptions.put(record.key(), subscription);
            }
        }).start();
    }

    /**
     * Whether {@code alert} is for this subscription: within the owner's regions (always), then its own filter.
     * Disabled subscriptions match nothing.
     */
    public static boolean matches(final Subscription subscription, final Alert alert) {
        return subscription.getEnabled()
                && RegionPatterns.matchesAny(subscription.getOwnerRegions(), alert.getRegion())
                && (subscription.getRegions().isEmpty()
                        || RegionPatterns.matchesAny(subscription.getRegions(), alert.getRegion()))
                && (subscription.getThreatTypes().isEmpty()
                        || subscription.getThreatTypes().contains(alert.getThreatType()))
                && alert.getSeverity().ordinal() >= subscription.getMinSeverity().ordinal();
    }

    public Optional<Subscription> find(final String subscriptionId) {
        return Optional.ofNullable(subscriptions.get(subscriptionId));
    }

    public List<Subscription> all() {
        final List<Subscription> all = new ArrayList<>(subscriptions.values());
        all.sort(Comparator.comparing(Subscription::getCreatedAt).thenComparing(Subscription::getSubscriptionId));
        return all;
    }

    public List<Subscription> webhooks() {
        return subscriptions.values().stream()
                .filter(s -> s.getChannel() == SubscriptionChannel.WEBHOOK && s.getEnabled()).toList();
    }

    /** Stores it (null deletes) and waits until this instance sees the write. */
    public boolean save(final String subscriptionId, final Subscription subscription, final Duration timeout) {
        final RecordMetadata written = writer.write(Topics.SUBSCRIPTIONS, subscriptionId, subscription);
        return mirror.awaitPosition(written.partition(), written.offset(), timeout);
    }

    public boolean isCaughtUp() {
        return mirror.isCaughtUp();
    }

    public boolean awaitCaughtUp(final Duration timeout) {
        return mirror.awaitCaughtUp(timeout);
    }

    @PreDestroy
    @Override
    public void close() {
        mirror.close();
    }
}
