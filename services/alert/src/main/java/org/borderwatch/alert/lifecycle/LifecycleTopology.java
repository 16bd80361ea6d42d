package org.borderwatch.alert.lifecycle;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.borderwatch.avro.Alert;
import org.borderwatch.avro.AlertCommand;
import org.borderwatch.avro.Breach;
import org.borderwatch.schemas.Topics;

/**
 * The alert lifecycle: breaches ({@code border.breaches.v1}) and commands ({@code border.alert-commands.v1}), both
 * keyed by alertId and co-partitioned, update one store of current alerts; every change is appended to
 * {@code border.alerts.v1}. Run with {@code exactly_once_v2}, the store and the log never disagree.
 */
public final class LifecycleTopology {

    public static final String STORE = "alert-state";

    private LifecycleTopology() {
    }

    public static Topology build() {
        final StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE),
                Topics.KEY, Topics.ALERTS.valueSerde()));

        final KStream<String, Alert> fromBreaches = builder
                .stream(Topics.BREACHES.name(), Consumed.with(Topics.BREACHES.keySerde(), Topics.BREACHES.valueSerde())
                        .withName("breaches"))
                .process(BreachProcessor::new, Named.as("apply-breach"), STORE);
        final KStream<String, Alert> fromCommands = builder
                .stream(Topics.ALERT_COMMANDS.name(), Consumed.with(Topics.ALERT_COMMANDS.keySerde(),
                        Topics.ALERT_COMMANDS.valueSerde()).withName("alert-commands"))
                .process(CommandProcessor::new, Named.as("apply-command"), STORE);

        fromBreaches.merge(fromCommands, Named.as("alert-changes"))
                .to(Topics.ALERTS.name(), Produced.with(Topics.ALERTS.keySerde(), Topics.ALERTS.valueSerde())
                        .withName("alerts"));
        return builder.build();
    }

    private abstract static class Apply<V> implements Processor<String, V, String, Alert> {

        private KeyValueStore<String, Alert> store;
        private ProcessorContext<String, Alert> context;

        @Override
        public void init(final ProcessorContext<String, Alert> context) {
            this.context = context;
            this.store = context.getStateStore(STORE);
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
            // The change's own time, so the log's timestamps tell when each change happened.
            step.published().ifPresent(alert -> context.forward(record.withValue(alert)
                    .withTimestamp(alert.getUpdatedAt().toEpochMilli())));
        }

        abstract AlertTransitions.Step apply(Alert current, V input);
    }

    private static final class BreachProcessor extends Apply<Breach> {
        @Override
        AlertTransitions.Step apply(final Alert current, final Breach breach) {
            return AlertTransitions.onBreach(current, breach);
        }
    }

    private static final class CommandProcessor extends Apply<AlertCommand> {
        @Override
        AlertTransitions.Step apply(final Alert current, final AlertCommand command) {
            return AlertTransitions.onCommand(current, command);
        }
    }
}
