package org.borderwatch.bench.baseline;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.borderwatch.avro.BorderIncident;
import org.borderwatch.avro.DrugSeizure;
import org.borderwatch.bench.process.BenchLogging;
import org.borderwatch.schemas.Topics;

/**
 * The second textbook application the aggregator is measured against: {@link SingleWindowApp}'s input and settings
 * (exactly-once v2, 100 ms commits, default record cache, event time from occurredAt, 6 h grace), plus what the
 * aggregator's default configuration adds in work per report: a dedup by eventId in a window store kept for the
 * largest window + grace (the event-deduplication example of Confluent's kafka-streams-examples), then one
 * repartition by {@code region|threatType} feeding hourly, daily (hopping by an hour) and 7-day (hopping by a day)
 * counts. Run as {@code ThreeWindowApp <bootstrap servers> <application.id> <state dir> [stream threads (2)]}; the
 * output topic {@link SingleWindowApp#outputTopic} must exist.
 */
public final class ThreeWindowApp {

    static final String EVENT_IDS = "event-ids";
    static final Duration DEDUP_RETENTION = Duration.ofDays(7).plus(SingleWindowApp.GRACE);

    private ThreeWindowApp() {
    }

    public static Topology topology(final String outputTopic) {
        final StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(EVENT_IDS, DEDUP_RETENTION,
                DEDUP_RETENTION, false), Serdes.String(), Serdes.Long()));
        final KStream<String, BorderIncident> incidents = builder.stream(Topics.INCIDENTS.name(),
                Consumed.with(Topics.KEY, Topics.INCIDENTS.valueSerde())
                        .withTimestampExtractor(SingleWindowApp::occurredAt).withName("incidents"));
        final KStream<String, DrugSeizure> seizures = builder.stream(Topics.SEIZURES.name(),
                Consumed.with(Topics.KEY, Topics.SEIZURES.valueSerde())
                        .withTimestampExtractor(SingleWindowApp::occurredAt).withName("seizures"));
        // Both inputs are co-partitioned by region, and a retried report keeps its region: one store serves both.
        final KGroupedStream<String, String> grouped = incidents
                .process(() -> new FirstOnly<>(incident -> incident.getEventId().toString()),
                        Named.as("dedup-incidents"), EVENT_IDS)
                .mapValues(incident -> incident.getThreatType().name(), Named.as("incident-type"))
                .merge(seizures.process(() -> new FirstOnly<>(seizure -> seizure.getEventId().toString()),
                                Named.as("dedup-seizures"), EVENT_IDS)
                        .mapValues(seizure -> "DRUG_TRAFFICKING", Named.as("seizure-type")), Named.as("reports"))
                .selectKey((region, threatType) -> region + "|" + threatType, Named.as("region-type"))
                // One repartition topic for the three windowed counts.
                .repartition(Repartitioned.with(Serdes.String(), Serdes.String()).withName("by-region-type"))
                .groupByKey(Grouped.with("grouped", Serdes.String(), Serdes.String()));
        for (final TimeWindows windows : List.of(
                TimeWindows.ofSizeAndGrace(Duration.ofHours(1), SingleWindowApp.GRACE),
                TimeWindows.ofSizeAndGrace(Duration.ofDays(1), SingleWindowApp.GRACE).advanceBy(Duration.ofHours(1)),
                TimeWindows.ofSizeAndGrace(Duration.ofDays(7), SingleWindowApp.GRACE).advanceBy(Duration.ofDays(1)))) {
            final String name = Duration.ofMillis(windows.size()).toString();
            grouped.windowedBy(windows)
                    .count(Named.as("count-" + name), Materialized.<String, Long, WindowStore<Bytes, byte[]>>as(
                            "counts-" + name).withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
                    .toStream(Named.as("changes-" + name))
                    .map((window, count) -> KeyValue.pair(window.key() + "|" + name + "|" + window.window().start(),
                            count), Named.as("key-" + name))
                    .to(outputTopic, Produced.with(Serdes.String(), Serdes.Long()).withName("out-" + name));
        }
        return builder.build();
    }

    /**
     * Forwards a report only the first time its eventId is seen within the dedup retention: a window store keyed by
     * eventId, probed around the event's time and written on first sight.
     */
    static final class FirstOnly<V> implements Processor<String, V, String, V> {

        private final Function<V, String> eventId;
        private ProcessorContext<String, V> context;
        private WindowStore<String, Long> seen;

        FirstOnly(final Function<V, String> eventId) {
            this.eventId = eventId;
        }

        @Override
        public void init(final ProcessorContext<String, V> context) {
            this.context = context;
            this.seen = context.getStateStore(EVENT_IDS);
        }

        @Override
        public void process(final Record<String, V> record) {
            final String id = eventId.apply(record.value());
            final long time = record.timestamp();
            try (WindowStoreIterator<Long> earlier = seen.fetch(id, time - DEDUP_RETENTION.toMillis(),
                    time + DEDUP_RETENTION.toMillis())) {
                if (earlier.hasNext()) {
                    return;
                }
            }
            seen.put(id, time, time);
            context.forward(record);
        }
    }

    public static void main(final String[] args) throws InterruptedException {
        BenchLogging.quietUnlessConfigured();
        if (args.length < 3 || args.length > 4) {
            System.err.println("usage: ThreeWindowApp <bootstrap servers> <application.id> <state dir>"
                    + " [stream threads (" + SingleWindowApp.DEFAULT_THREADS + ")]");
            System.exit(2);
        }
        final int threads = args.length == 4 ? Integer.parseInt(args[3]) : SingleWindowApp.DEFAULT_THREADS;
        final KafkaStreams streams = new KafkaStreams(topology(SingleWindowApp.outputTopic(args[1])),
                SingleWindowApp.properties(args[0], args[1], args[2], threads));
        streams.start();
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close(Duration.ofSeconds(30));
            stopped.countDown();
        }, "three-window-app-shutdown"));
        stopped.await();
    }
}
