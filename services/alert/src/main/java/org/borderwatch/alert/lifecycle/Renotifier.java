package org.borderwatch.alert.lifecycle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.borderwatch.alert.silence.SilenceStore;
import org.borderwatch.alert.subscription.SubscriptionStore;
import org.borderwatch.avro.Alert;
import org.borderwatch.avro.Silence;
import org.borderwatch.avro.Subscription;

/**
 * Finds, in one task's alerts, those due to be sent again: firing, not acknowledged, not silenced now, and for at
 * least one matching subscription with a repeat interval, last sent to it at least that interval ago. "Last sent"
 * is the latest of: the alert's last firing or escalation, the subscription's creation, the last re-notification
 * naming the subscription. Each due alert becomes one RENOTIFICATION change naming every due subscription; its
 * clocks move in the same store write, inside the task's transaction, so a re-notification happens once per
 * interval however often the task restarts or moves between instances.
 */
final class Renotifier {

    static final String SEPARATOR = "|";

    private final KeyValueStore<String, Alert> alerts;
    private final KeyValueStore<String, Long> notified;
    private final ReadOnlyKeyValueStore<String, ValueAndTimestamp<Subscription>> subscriptions;
    private final ReadOnlyKeyValueStore<String, ValueAndTimestamp<Silence>> silences;

    Renotifier(final KeyValueStore<String, Alert> alerts, final KeyValueStore<String, Long> notified,
               final ReadOnlyKeyValueStore<String, ValueAndTimestamp<Subscription>> subscriptions,
               final ReadOnlyKeyValueStore<String, ValueAndTimestamp<Silence>> silences) {
        this.alerts = alerts;
        this.notified = notified;
        this.subscriptions = subscriptions;
        this.silences = silences;
    }

    /** The RENOTIFICATION changes due at {@code now} (epoch millis), already stored. */
    List<Alert> due(final long now) {
        final List<Subscription> repeating = values(subscriptions).stream()
                .filter(s -> s.getRepeatIntervalMillis() > 0).toList();
        if (repeating.isEmpty()) {
            return List.of();
        }
        final List<Silence> inForce = values(silences).stream()
                .filter(s -> SilenceStore.activeAt(s, Instant.ofEpochMilli(now))).toList();
        final List<Alert> candidates = new ArrayList<>();
        try (KeyValueIterator<String, Alert> all = alerts.all()) {
            all.forEachRemaining(entry -> {
                if (AlertTransitions.isRenotifiable(entry.value)
                        && inForce.stream().noneMatch(silence -> SilenceStore.matches(silence, entry.value))) {
                    candidates.add(entry.value);
                }
            });
        }
        final List<Alert> due = new ArrayList<>();
        for (final Alert alert : candidates) {
            final String alertId = alert.getAlertId();
            final Long sentToAll = notified.get(alertId);
            // An alert that fired before re-notification existed has no clock: count from its last change.
            final long base = sentToAll != null ? sentToAll : alert.getUpdatedAt().toEpochMilli();
            final List<String> to = new ArrayList<>();
            for (final Subscription subscription : repeating) {
                if (!SubscriptionStore.matches(subscription, alert)) {
                    continue;
                }
                final Long sentAgain = notified.get(alertId + SEPARATOR + subscription.getSubscriptionId());
                final long last = Math.max(Math.max(base, subscription.getCreatedAt().toEpochMilli()),
                        sentAgain == null ? Long.MIN_VALUE : sentAgain);
                if (now - last >= subscription.getRepeatIntervalMillis()) {
                    to.add(subscription.getSubscriptionId());
                }
            }
            if (to.isEmpty()) {
                continue;
            }
            to.sort(String::compareTo);
            final Alert change = AlertTransitions.renotify(alert, to, Instant.ofEpochMilli(now)).state();
            alerts.put(alertId, change);
            to.forEach(subscriptionId -> notified.put(alertId + SEPARATOR + subscriptionId, now));
            due.add(change);
        }
        return due;
    }

    private static <V> List<V> values(final ReadOnlyKeyValueStore<String, ValueAndTimestamp<V>> store) {
        final List<V> values = new ArrayList<>();
        try (KeyValueIterator<String, ValueAndTimestamp<V>> all = store.all()) {
            all.forEachRemaining(entry -> {
                if (entry.value != null && entry.value.value() != null) {
                    values.add(entry.value.value());
                }
            });
        }
        return values;
    }
}
