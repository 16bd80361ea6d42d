package org.borderwatch.alert.log;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.borderwatch.service.kafka.KafkaClients;
import org.borderwatch.service.kafka.TopicMirror;
import org.borderwatch.avro.Alert;
import org.borderwatch.schemas.Topics;

/**
 * This instance's copy of the whole alert log {@code border.alerts.v1}: every change of every alert, by alert and
 * by position, so the API can answer from memory and SSE streams can replay from any position. Alerts are few
 * (changes of rule breaches, not events), so the whole log fits in memory.
 *
 * <p>Listeners (SSE streams) get every change in the order this instance read it; registering replays the changes
 * after a position and adds the listener atomically, so a stream sees no gap and no duplicate between replay and
 * live changes.
 */
@Context
public final class AlertLog implements AutoCloseable {

    private final Object lock = new Object();
    private final Map<String, List<LoggedAlert>> byAlert = new HashMap<>();
    private final Map<Integer, List<LoggedAlert>> byPartition = new HashMap<>();
    private final List<Consumer<LoggedAlert>> listeners = new CopyOnWriteArrayList<>();
    private final TopicMirror<Alert> mirror;
    private long sequence;

    public AlertLog(final KafkaClients kafka) {
        this.mirror = new TopicMirror<>(Topics.ALERTS, kafka, this::apply).start();
    }

    private void apply(final ConsumerRecord<String, Alert> record, final Alert alert) {
        if (alert == null) {
            return;
        }
        synchronized (lock) {
            final LoggedAlert logged = new LoggedAlert(alert, record.partition(), record.offset(), sequence++);
            byAlert.computeIfAbsent(alert.getAlertId(), id -> new ArrayList<>()).add(logged);
            byPartition.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(logged);
            for (final Consumer<LoggedAlert> listener : listeners) {
                listener.accept(logged);
            }
        }
    }

    /** The changes of one alert, oldest first; empty when unknown. */
    public List<LoggedAlert> history(final String alertId) {
        synchronized (lock) {
            return List.copyOf(byAlert.getOrDefault(alertId, List.of()));
        }
    }

    /** The current state of one alert. */
    public Optional<Alert> current(final String alertId) {
        final List<LoggedAlert> history = history(alertId);
        return history.isEmpty() ? Optional.empty() : Optional.of(history.get(history.size() - 1).alert());
    }

    /** The current state of every alert matching {@code filter}, most recently updated first. */
    public List<Alert> currentAlerts(final Predicate<Alert> filter) {
        final List<Alert> current = new ArrayList<>();
        synchronized (lock) {
            for (final List<LoggedAlert> history : byAlert.values()) {
                final Alert alert = history.get(history.size() - 1).alert();
                if (filter.test(alert)) {
                    current.add(alert);
                }
            }
        }
        current.sort(Comparator.comparing(Alert::getUpdatedAt).reversed().thenComparing(Alert::getAlertId));
        return current;
    }

    /** The position after everything this instance has read. */
    public LogPosition end() {
        synchronized (lock) {
            final long[] next = new long[Math.max(mirror.partitions(), byPartition.keySet().stream()
                    .mapToInt(p -> p + 1).max().orElse(0))];
            byPartition.forEach((partition, records) -> next[partition] = records.get(records.size() - 1).offset() + 1);
            return LogPosition.of(next);
        }
    }

    public int partitions() {
        return mirror.partitions();
    }

    /**
     * Hands {@code listener} every change at or after {@code from} that this instance has read, in reading order,
     * then every new change, with nothing lost or repeated in between.
     *
     * @return call to remove the listener
     */
    public Runnable listen(final LogPosition from, final Consumer<LoggedAlert> listener) {
        synchronized (lock) {
            final List<LoggedAlert> replay = new ArrayList<>();
            byPartition.forEach((partition, records) -> {
                for (int i = firstAtOrAfter(records, from.next(partition)); i < records.size(); i++) {
                    replay.add(records.get(i));
                }
            });
            replay.sort(Comparator.comparingLong(LoggedAlert::sequence));
            replay.forEach(listener);
            listeners.add(listener);
        }
        return () -> listeners.remove(listener);
    }

    public int listenerCount() {
        return listeners.size();
    }

    public boolean isCaughtUp() {
        return mirror.isCaughtUp();
    }

    public boolean awaitCaughtUp(final Duration timeout) {
        return mirror.awaitCaughtUp(timeout);
    }

    /** Waits until this instance has read the record at ({@code partition}, {@code offset}). */
    public boolean awaitPosition(final int partition, final long offset, final Duration timeout) {
        return mirror.awaitPosition(partition, offset, timeout);
    }

    private static int firstAtOrAfter(final List<LoggedAlert> records, final long offset) {
        int low = 0;
        int high = records.size();
        while (low < high) {
            final int mid = (low + high) >>> 1;
            if (records.get(mid).offset() < offset) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /**
     * Completes with the first change of {@code alertId} read after this call that satisfies {@code condition}
     * (or with the current state, if it already does).
     */
    public CompletableFuture<Alert> awaitChange(final String alertId, final Predicate<Alert> condition) {
        final CompletableFuture<Alert> seen = new CompletableFuture<>();
        final Consumer<LoggedAlert> listener = logged -> {
            if (logged.alert().getAlertId().equals(alertId) && condition.test(logged.alert())) {
                seen.complete(logged.alert());
            }
        };
        synchronized (lock) {
            current(alertId).filter(condition).ifPresent(seen::complete);
            listeners.add(listener);
        }
        seen.whenComplete((alert, error) -> listeners.remove(listener));
        return seen;
    }

    @PreDestroy
    @Override
    public void close() {
        mirror.close();
    }
}
