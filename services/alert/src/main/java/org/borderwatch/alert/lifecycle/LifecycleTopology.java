package org.borderwatch.alert.lifecycle;

import java.time.Duration;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.borderwatch.avro.Alert;
import org.borderwatch.avro.AlertChange;
import org.borderwatch.avro.AlertChangeKind;
import org.borderwatch.avro.AlertCommand;
import org.borderwatch.avro.Breach;
import org.borderwatch.schemas.Topics;

/**
 * The alert lifecycle: breaches ({@code border.breaches.v1}) and commands ({@code border.alert-commands.v1}), both
 * keyed by alertId and co-partitioned, update one store of current alerts; every change is appended to
 * {@code border.alerts.v1}. Subscriptions and silences are read in full as global stores, so that a wall-clock
 * punctuator can send each firing, unacknowledged alert again to the subscriptions whose repeat interval elapsed
 * ({@link Renotifier}). Run with {@code exactly_once_v2}, the stores and the log never disagree.
 */
public final class LifecycleTopology {

    public static final String STORE = "alert-state";
    /** alertId → when the alert was last sent to everyone; alertId|subscriptionId → when it was last sent again. */
    public static final String NOTIFIED_STORE = "alert-notified";
    public static final String SUBSCRIPTIONS_STORE = "lifecycle-subscriptions";
    public static final String SILENCES_STORE = "lifecycle-silences";

    private LifecycleTopology() {
    }

    /**
     * @param renotifyCheck how often (wall-clock) each task looks for alerts due to be sent again
     */
    public static Topology build(final Duration renotifyCheck) {
        final StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE),
                Topics.KEY, Topics.ALERTS.valueSerde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(NOTIFIED_STORE),
                Topics.KEY, org.apache.kafka.common.serialization.Serdes.Long()));
        // Global: every task checks its alerts against every subscription and silence (both topics are compacted
        // and small; a null value deletes).
        builder.globalTable(Topics.SUBSCRIPTIONS.name(), Consumed.with(Topics.SUBSCRIPTIONS.keySerde(),
                        Topics.SUBSCRIPTIONS.valueSerde()).withName("subscriptions"),
                Materialized.<String, org.borderwatch.avro.Subscription, KeyValueStore<Bytes, byte[]>>as(
                                SUBSCRIPTIONS_STORE)
                        .withKeySerde(Topics.SUBSCRIPTIONS.keySerde())
                        .withValueSerde(Topics.SUBSCRIPTIONS.valueSerde()));
        builder.globalTable(Topics.SILENCES.name(), Consumed.with(Topics.SILENCES.keySerde(),
                        Topics.SILENCES.valueSerde()).withName("silences"),
                Materialized.<String, org.borderwatch.avro.Silence, KeyValueStore<Bytes, byte[]>>as(SILENCES_STORE)
                        .withKeySerde(Topics.SILENCES.keySerde())
                        .withValueSerde(Topics.SILENCES.valueSerde()));

        final KStream<String, Alert> fromBreaches = builder
                .stream(Topics.BREACHES.name(), Consumed.with(Topics.BREACHES.keySerde(), Topics.BREACHES.valueSerde())
                        .withName("breaches"))
                .process(BreachProcessor::new, Named.as("apply-breach"), STORE, NOTIFIED_STORE);
        final KStream<String, Alert> fromCommands = builder
                .stream(Topics.ALERT_COMMANDS.name(), Consumed.with(Topics.ALERT_COMMANDS.keySerde(),
                        Topics.ALERT_COMMANDS.valueSerde()).withName("alert-commands"))
                .process(() -> new CommandProcessor(renotifyCheck), Named.as("apply-command"), STORE,
                        NOTIFIED_STORE);

        fromBreaches.merge(fromCommands, Named.as("alert-changes"))
                .to(Topics.ALERTS.name(), Produced.with(Topics.ALERTS.keySerde(), Topics.ALERTS.valueSerde())
                        .withName("alerts"));
        return builder.build();
    }

    private abstract static class Apply<V> implements Processor<String, V, String, Alert> {

        KeyValueStore<String, Alert> store;
        KeyValueStore<String, Long> notified;
        ProcessorContext<String, Alert> context;

        @Override
        public void init(final ProcessorContext<String, Alert> context) {
            this.context = context;
            this.store = context.getStateStore(STORE);
            this.notified = context.getStateStore(NOTIFIED_STORE);
        }

        @Override
        public void process(final Record<String, V> record) {
            if (record.key() == null || record.value() == null) {
                return;
            }
            final AlertTransitions.Step step = apply(store.get(record.key()), record.value());
            if (step.state() != null) {
                store.put(record.key(), step.state());
            }
            step.published().ifPresent(alert -> {
                remember(notified, record.key(), alert);
                // The change's own time, so the log's timestamps tell when each change happened.
                context.forward(record.withValue(alert).withTimestamp(alert.getUpdatedAt().toEpochMilli()));
                // SSE streams and webhooks read the log read_committed: commit at the end of this loop iteration,
                // not at the next commit interval.
                context.commit();
            });
        }

        abstract AlertTransitions.Step apply(Alert current, V input);
    }

    /**
     * Keeps the re-notification clocks: a firing or an escalation was sent to everyone, so every clock restarts;
     * once an alert can no longer be sent again (acknowledged, resolved) its clocks are dropped.
     */
    static void remember(final KeyValueStore<String, Long> notified, final String alertId, final Alert change) {
        if (change.getKind() != AlertChangeKind.STATE) {
            return;
        }
        if (AlertTransitions.notifiesEveryone(change)) {
            forget(notified, alertId);
            notified.put(alertId, change.getUpdatedAt().toEpochMilli());
        } else if (change.getChange() == AlertChange.ACKNOWLEDGED || change.getChange() == AlertChange.RESOLVED) {
            forget(notified, alertId);
        }
    }

    private static void forget(final KeyValueStore<String, Long> notified, final String alertId) {
        notified.delete(alertId);
        // alertId is ruleId|region|threatType, so "alertId|" prefixes only this alert's per-subscription clocks.
        final java.util.List<String> keys = new java.util.ArrayList<>();
        try (KeyValueIterator<String, Long> clocks = notified.prefixScan(alertId + Renotifier.SEPARATOR,
                Topics.KEY.serializer())) {
            clocks.forEachRemaining(entry -> keys.add(entry.key));
        }
        keys.forEach(notified::delete);
    }

    private static final class BreachProcessor extends Apply<Breach> {
        @Override
        AlertTransitions.Step apply(final Alert current, final Breach breach) {
            return AlertTransitions.onBreach(current, breach);
        }
    }

    /** Applies commands; it also owns the task's re-notification punctuator (any processor of the task could). */
    private static final class CommandProcessor extends Apply<AlertCommand> {

        private final Duration renotifyCheck;

        CommandProcessor(final Duration renotifyCheck) {
            this.renotifyCheck = renotifyCheck;
        }

        @Override
        public void init(final ProcessorContext<String, Alert> context) {
            super.init(context);
            final Renotifier renotifier = new Renotifier(store, notified, context.getStateStore(SUBSCRIPTIONS_STORE),
                    context.getStateStore(SILENCES_STORE));
            context.schedule(renotifyCheck, PunctuationType.WALL_CLOCK_TIME, now -> renotifier.due(now)
                    .forEach(alert -> context.forward(new Record<>(alert.getAlertId(), alert, now))));
        }

        @Override
        AlertTransitions.Step apply(final Alert current, final AlertCommand command) {
            return AlertTransitions.onCommand(current, command);
        }
    }
}
