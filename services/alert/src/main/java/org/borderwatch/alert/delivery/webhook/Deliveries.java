package org.borderwatch.alert.delivery.webhook;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Singleton;
import org.borderwatch.alert.AlertConfig;
import org.borderwatch.alert.format.AlertRenderer;
import org.borderwatch.service.kafka.AcknowledgedWriter;
import org.borderwatch.alert.subscription.SubscriptionStore;
import org.borderwatch.avro.Alert;
import org.borderwatch.avro.Subscription;
import org.borderwatch.avro.WebhookDelivery;
import org.borderwatch.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one attempt of a webhook notification and decides what follows: done, a retry written to
 * {@code border.webhook-retries.v1} (delay {@code retry-delays[n-1]} after attempt n, with jitter), given up after the
 * last delay, or — on 410 Gone — the subscription disabled.
 *
 * <p>All records of one notification share one key ({@link #key}), so they share a partition and its order: the
 * latest record of a key is the notification's state. A retry record is the one pending next attempt; a tombstone
 * (null value) is its final outcome (delivered, given up, gone, subscription dropped). {@link RetryWorker} acts on the
 * latest record only, so one notification has one retry chain, a success ends it, and a retry record read again
 * after a restart, a rebalance or by a new group is a no-op once a later record of its key exists — idempotent by
 * webhook-id, as side-effecting consumers should be.
 */
@Singleton
public final class Deliveries {

    private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);

    private final WebhookSender sender;
    private final SubscriptionStore subscriptions;
    private final AlertRenderer renderer;
    private final AcknowledgedWriter writer;
    private final WebhookConfig config;
    private final AlertConfig alertConfig;
    private final WebhookMetrics metrics;

    public Deliveries(final WebhookSender sender, final SubscriptionStore subscriptions, final AlertRenderer renderer,
                      final AcknowledgedWriter writer, final WebhookConfig config, final AlertConfig alertConfig,
                      final WebhookMetrics metrics) {
        this.sender = sender;
        this.subscriptions = subscriptions;
        this.renderer = renderer;
        this.writer = writer;
        this.config = config;
        this.alertConfig = alertConfig;
        this.metrics = metrics;
    }

    /** The key of a notification's records in {@code border.webhook-retries.v1}. */
    public static String key(final String subscriptionId, final String webhookId) {
        return subscriptionId + "|" + webhookId;
    }

    public static String key(final WebhookDelivery delivery) {
        return key(delivery.getSubscriptionId(), delivery.getWebhookId());
    }

    /** The first attempt's notification of {@code alert} for {@code subscription}, rendered in its format. */
    public WebhookDelivery first(final Subscription subscription, final Alert alert) {
        final String webhookId = AlertRenderer.changeId(alert);
        final AlertRenderer.Rendered rendered = renderer.render(subscription.getFormat(), alert, webhookId);
        final Instant now = Instant.now();
        return WebhookDelivery.newBuilder()
                .setWebhookId(webhookId)
                .setSubscriptionId(subscription.getSubscriptionId())
                .setAlertId(alert.getAlertId())
                .setAlertVersion(alert.getVersion())
                .setContentType(rendered.contentType())
                .setBody(ByteBuffer.wrap(rendered.body()))
                .setAttempt(1)
                .setFirstAttemptAt(now)
                .setNotBefore(now)
                .setLastError(null)
                .build();
    }

    /** Attempts the delivery now and schedules what follows; never throws for a failed attempt. */
    public void attempt(final WebhookDelivery delivery) {
        final Subscription subscription = subscriptions.find(delivery.getSubscriptionId()).orElse(null);
        if (subscription == null || !subscription.getEnabled()) {
            LOG.info("Dropping webhook {} (attempt {}): subscription {} is deleted or disabled",
                    delivery.getWebhookId(), delivery.getAttempt(), delivery.getSubscriptionId());
            end(delivery, new Attempt(delivery.getSubscriptionId(), delivery.getWebhookId(), delivery.getAlertId(),
                    delivery.getAlertVersion(), 0, Attempt.DROPPED, null, 0,
                    subscription == null ? "subscription deleted" : "subscription disabled", false, Instant.now()));
            return;
        }
        final WebhookSender.Outcome outcome = sender.send(subscription, delivery);
        metrics.attempted(outcome.result());
        final Attempt made = made(delivery, outcome, false);
        switch (outcome.result()) {
            case DELIVERED -> {
                LOG.debug("Delivered webhook {} to subscription {} (attempt {})",
                        delivery.getWebhookId(), delivery.getSubscriptionId(), delivery.getAttempt());
                end(delivery, made);
            }
            case GONE -> {
                disable(subscription, delivery);
                end(delivery, made);
            }
            case FAILED -> retryOrGiveUp(delivery, made);
        }
    }

    /**
     * Sends a test notification to the subscription's webhook now (signed like any other, through the SSRF guard,
     * never retried) and records the attempt like any other, so the delivery status shows it.
     */
    public Attempt test(final Subscription subscription) {
        final String webhookId = "test_" + UUID.randomUUID().toString().replace("-", "");
        final Instant now = Instant.now();
        final AlertRenderer.Rendered rendered = renderer.test(subscription.getFormat(),
                subscription.getSubscriptionId(), webhookId, now);
        final WebhookDelivery delivery = WebhookDelivery.newBuilder()
                .setWebhookId(webhookId)
                .setSubscriptionId(subscription.getSubscriptionId())
                .setAlertId("")
                .setAlertVersion(0)
                .setContentType(rendered.contentType())
                .setBody(ByteBuffer.wrap(rendered.body()))
                .setAttempt(1)
                .setFirstAttemptAt(now)
                .setNotBefore(now)
                .setLastError(null)
                .build();
        final Attempt made = made(delivery, sender.send(subscription, delivery), true);
        end(delivery, made);
        return made;
    }

    private static Attempt made(final WebhookDelivery delivery, final WebhookSender.Outcome outcome,
                                final boolean test) {
        return new Attempt(delivery.getSubscriptionId(), delivery.getWebhookId(), delivery.getAlertId(),
                delivery.getAlertVersion(), delivery.getAttempt(), outcome.result().name(), outcome.status(),
                outcome.latencyMillis(), outcome.error(), test, Instant.now());
    }

    /**
     * Records the notification's final outcome: a tombstone under its key, after which any earlier retry record of
     * it is a no-op. Even after a first attempt, which has no retry record unless the alert change was dispatched
     * twice (a crash before the dispatcher's commit) and the earlier dispatch failed.
     */
    private void end(final WebhookDelivery delivery, final Attempt made) {
        try {
            writer.write(Topics.WEBHOOK_RETRIES, key(delivery), null, made.headers());
        } catch (final RuntimeException e) {
            // At least once to the outside: the worst case is one more attempt with the same webhook-id.
            LOG.warn("Could not record the final outcome of webhook {} to subscription {} ({}); a pending retry of"
                    + " it may still run", delivery.getWebhookId(), delivery.getSubscriptionId(), e.getMessage());
        }
    }

    private void retryOrGiveUp(final WebhookDelivery delivery, final Attempt made) {
        final String error = made.error();
        final List<Duration> delays = config.retryDelays();
        final int attempt = delivery.getAttempt();
        if (attempt > delays.size()) {
            metrics.exhausted();
            LOG.error("Giving up webhook {} of alert {} v{} to subscription {} after {} attempts; last error: {}",
                    delivery.getWebhookId(), delivery.getAlertId(), delivery.getAlertVersion(),
                    delivery.getSubscriptionId(), attempt, error);
            end(delivery, made);
            return;
        }
        final Instant notBefore = Instant.now().plus(jittered(delays.get(attempt - 1)));
        LOG.info("Webhook {} to subscription {} failed (attempt {}: {}); next attempt at {}",
                delivery.getWebhookId(), delivery.getSubscriptionId(), attempt, error, notBefore);
        writer.write(Topics.WEBHOOK_RETRIES, key(delivery), WebhookDelivery.newBuilder(delivery)
                .setAttempt(attempt + 1).setNotBefore(notBefore).setLastError(error).build(), made.headers());
    }

    private Duration jittered(final Duration delay) {
        final double factor = 1 + config.retryJitter() * (2 * ThreadLocalRandom.current().nextDouble() - 1);
        return Duration.ofMillis(Math.max(0, Math.round(delay.toMillis() * factor)));
    }

    private void disable(final Subscription subscription, final WebhookDelivery delivery) {
        LOG.warn("Subscription {} of {}: {} answered 410 Gone to webhook {}; disabling the subscription",
                subscription.getSubscriptionId(), subscription.getOwner(), subscription.getUrl(),
                delivery.getWebhookId());
        subscriptions.save(subscription.getSubscriptionId(), Subscription.newBuilder(subscription)
                .setEnabled(false)
                .setDisabledReason("the endpoint answered 410 Gone at " + Instant.now())
                .setUpdatedAt(Instant.now())
                .build(), alertConfig.writeTimeout());
    }
}
