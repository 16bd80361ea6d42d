package org.borderwatch.alert.delivery.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.borderwatch.service.kafka.TopicMirror;
import org.borderwatch.avro.WebhookDelivery;
import org.borderwatch.schemas.Topics;
import org.borderwatch.service.kafka.KafkaClients;

/**
 * The delivery status of every webhook subscription, read by every instance from the records the deliveries
 * themselves write to {@code border.webhook-retries.v1} (one per attempt: the retry record after a failure, the
 * tombstone after the last attempt; the attempt's outcome in {@link Attempt} headers). Whichever instance made an
 * attempt, every instance answers the same; the window is the topic's retention (7 days). Keeps the last
 * {@value #KEPT} attempts of each subscription, and counts all of them.
 */
@Context
public final class DeliveryLog implements AutoCloseable {

    public static final int KEPT = 100;

    /** One attempt as the API shows it: the outcome, and what follows it. */
    public record Entry(Attempt attempt, boolean last, Instant nextAttemptAt) {
    }

    /** What is known of one subscription's deliveries. */
    public record Status(List<Entry> recent, int attempts, int delivered, int failed, int givenUp, int pending,
                         int consecutiveFailures, Instant lastDeliveredAt, Instant lastFailedAt) {
    }

    private static final class Tally {
        private final Deque<Entry> recent = new ArrayDeque<>();
        private final Set<String> pending = new HashSet<>();
        private int attempts;
        private int delivered;
        private int failed;
        private int givenUp;
        private int consecutiveFailures;
        private Instant lastDeliveredAt;
        private Instant lastFailedAt;
    }

    private final Map<String, Tally> tallies = new HashMap<>();
    private final TopicMirror<WebhookDelivery> mirror;

    public DeliveryLog(final KafkaClients kafka) {
        this.mirror = new TopicMirror<>(Topics.WEBHOOK_RETRIES, kafka, this::apply).start();
    }

    private void apply(final ConsumerRecord<String, WebhookDelivery> record, final WebhookDelivery next) {
        final Attempt attempt = Attempt.of(record.headers(), Instant.ofEpochMilli(record.timestamp()));
        if (attempt == null) {
            return; // written before attempts were recorded
        }
        synchronized (tallies) {
            final Tally tally = tallies.computeIfAbsent(attempt.subscriptionId(), id -> new Tally());
            final String key = record.key();
            if (next == null) {
                tally.pending.remove(key);
            } else {
                tally.pending.add(key);
            }
            if (Attempt.DROPPED.equals(attempt.result())) {
                return; // nothing was sent
            }
            tally.attempts++;
            if (WebhookSender.Result.DELIVERED.name().equals(attempt.result())) {
                tally.delivered++;
                tally.consecutiveFailures = 0;
                tally.lastDeliveredAt = attempt.at();
            } else {
                tally.failed++;
                tally.consecutiveFailures++;
                tally.lastFailedAt = attempt.at();
                if (next == null && !attempt.test()) {
                    tally.givenUp++;
                }
            }
            tally.recent.addFirst(new Entry(attempt, next == null, next == null ? null : next.getNotBefore()));
            if (tally.recent.size() > KEPT) {
                tally.recent.removeLast();
            }
        }
    }

    /** The status of one subscription's deliveries, newest attempt first (at most {@code limit}). */
    public Status status(final String subscriptionId, final int limit) {
        synchronized (tallies) {
            final Tally tally = tallies.get(subscriptionId);
            if (tally == null) {
                return new Status(List.of(), 0, 0, 0, 0, 0, 0, null, null);
            }
            final List<Entry> recent = new ArrayList<>(tally.recent).subList(0, Math.min(limit, tally.recent.size()));
            return new Status(List.copyOf(recent), tally.attempts, tally.delivered, tally.failed, tally.givenUp,
                    tally.pending.size(), tally.consecutiveFailures, tally.lastDeliveredAt, tally.lastFailedAt);
        }
    }

    /** An attempt entry as plain JSON-ready data. */
    public static Map<String, Object> view(final Entry entry) {
        final Attempt attempt = entry.attempt();
        final Map<String, Object> view = new LinkedHashMap<>();
        view.put("at", attempt.at().toString());
        view.put("webhookId", attempt.webhookId());
        view.put("test", attempt.test());
        view.put("alertId", attempt.alertId().isEmpty() ? null : attempt.alertId());
        view.put("alertVersion", attempt.test() ? null : attempt.alertVersion());
        view.put("attempt", attempt.attempt());
        view.put("result", attempt.result().toLowerCase(java.util.Locale.ROOT));
        view.put("status", attempt.status());
        view.put("latencyMs", attempt.latencyMillis());
        view.put("error", attempt.error());
        view.put("final", entry.last());
        view.put("nextAttemptAt", entry.nextAttemptAt() == null ? null : entry.nextAttemptAt().toString());
        return view;
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
