package org.borderwatch.alert.delivery.webhook;

import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;

/**
 * Webhook delivery metrics: {@code borderwatch_alert_webhook_attempts_total{result}} (delivered, gone, failed),
 * {@code borderwatch_alert_webhook_delivered_total}, {@code borderwatch_alert_webhook_final_failures_total{reason}}
 * (retries exhausted, gone), {@code borderwatch_alert_webhook_pending} (notifications waiting for a retry on this
 * instance) and {@code borderwatch_alert_webhook_lag_seconds} (age of the oldest of them).
 */
@Context
public final class WebhookMetrics {

    private final Counter delivered;
    private final Counter attemptsDelivered;
    private final Counter attemptsGone;
    private final Counter attemptsFailed;
    private final Counter exhausted;
    private final Counter gone;
    private final ConcurrentHashMap<String, Instant> pending = new ConcurrentHashMap<>();
    private final AtomicLong pendingCount = new AtomicLong();

    public WebhookMetrics(final MeterRegistry registry) {
        attemptsDelivered = attempts(registry, "delivered");
        attemptsGone = attempts(registry, "gone");
        attemptsFailed = attempts(registry, "failed");
        delivered = Counter.builder("borderwatch.alert.webhook.delivered")
                .description("Webhook notifications delivered").register(registry);
        exhausted = Counter.builder("borderwatch.alert.webhook.final.failures").tag("reason", "retries-exhausted")
                .description("Webhook notifications given up").register(registry);
        gone = Counter.builder("borderwatch.alert.webhook.final.failures").tag("reason", "gone")
                .description("Webhook notifications given up").register(registry);
        Gauge.builder("borderwatch.alert.webhook.pending", pendingCount, AtomicLong::get)
                .description("Webhook notifications waiting for a retry on this instance").register(registry);
        Gauge.builder("borderwatch.alert.webhook.lag.seconds", this, WebhookMetrics::lagSeconds)
                .description("Age of the oldest webhook notification waiting for a retry on this instance")
                .register(registry);
    }

    private static Counter attempts(final MeterRegistry registry, final String result) {
        return Counter.builder("borderwatch.alert.webhook.attempts").tag("result", result)
                .description("Webhook requests, by result").register(registry);
    }

    void attempted(final WebhookSender.Result result) {
        switch (result) {
            case DELIVERED -> {
                attemptsDelivered.increment();
                delivered.increment();
            }
            case GONE -> {
                attemptsGone.increment();
                gone.increment();
            }
            case FAILED -> attemptsFailed.increment();
        }
    }

    void exhausted() {
        exhausted.increment();
    }

    void waiting(final String key, final Instant since) {
        if (pending.put(key, since) == null) {
            pendingCount.incrementAndGet();
        }
    }

    void done(final String key) {
        if (pending.remove(key) != null) {
            pendingCount.decrementAndGet();
        }
    }

    private double lagSeconds() {
        return pending.values().stream().min(Instant::compareTo)
                .map(oldest -> Math.max(0, Instant.now().toEpochMilli() - oldest.toEpochMilli()) / 1000.0)
                .orElse(0.0);
    }
}
