package org.borderwatch.bench.bare;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
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
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.borderwatch.avro.BorderIncident;
import org.borderwatch.avro.DrugSeizure;
import org.borderwatch.schemas.AvroTrust;
import org.borderwatch.schemas.Topics;

/**
 * The two plain Kafka Streams DSL applications the aggregator's catch-up is compared with, written the way the Kafka
 * Streams documentation and examples teach it (no hand-made stores, codecs or caches): event time from
 * {@code occurredAt}, the threat type as the value, a repartition by {@code region|threatType}, windowed counts in
 * the DSL's own window stores, every change written to an output topic.
 * <ul>
 *   <li>{@link #singleWindow}: one 1-hour {@link TimeWindows} count.</li>
 *   <li>{@link #threeWindows}: first a dedup by eventId in a window store kept for the largest window + grace (the
 *       event-deduplication example of Confluent's kafka-streams-examples), then hourly, daily (hopping by an hour)
 *       and 7-day (hopping by a day) counts, the aggregator's default windows.</li>
 * </ul>
 * Both run exactly_once_v2 with the commit interval and stream threads the harness read from the aggregator's own
 * start-up line, and Kafka's default record cache, as the aggregator does.
 */
public final class TextbookApps {

    /** The aggregator's grace period for late reports (borderwatch.aggregator.grace). */
    static final Duration GRACE = Duration.ofHours(6);
    static final String EVENT_IDS = "event-ids";
    static final Duration DEDUP_RETENTION = Duration.ofDays(7).plus(GRACE);

    private TextbookApps() {
    }

    /** The textbook single-window count; output keys {@code region|threatType@windowStart}. */
    public static Topology singleWindow(final String output) {
        final StreamsBuilder builder = new StreamsBuilder();
        threatTypes(builder, false)
                .groupBy((region, threatType) -> region + "|" + threatType,
                        Grouped.with("by-region-threat", Serdes.String(), Serdes.String()))
                .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofHours(1), GRACE))
                .count(Named.as("count-PT1H"), Materialized.<String, Long, WindowStore<Bytes, byte[]>>as("counts-PT1H")
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
                .toStream(Named.as("changes-PT1H"))
                .map(TextbookApps::outputRecord, Named.as("key-PT1H"))
                .to(output, Produced.with(Serdes.String(), Serdes.Long()).withName("out-PT1H"));
        return builder.build();
    }

    /** Dedup by eventId, then the hourly, daily and 7-day counts of one repartitioned stream. */
    public static Topology threeWindows(final String output) {
        final StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(EVENT_IDS, DEDUP_RETENTION,
                DEDUP_RETENTION, false), Serdes.String(), Serdes.Long()));
        final KGroupedStream<String, String> grouped = threatTypes(builder, true)
                .selectKey((region, threatType) -> region + "|" + threatType, Named.as("region-threat"))
                .repartition(Repartitioned.with(Serdes.String(), Serdes.String()).withName("by-region-threat"))
                .groupByKey(Grouped.with("grouped", Serdes.String(), Serdes.String()));
        for (final TimeWindows windows : List.of(TimeWindows.ofSizeAndGrace(Duration.ofHours(1), GRACE),
                TimeWindows.ofSizeAndGrace(Duration.ofDays(1), GRACE).advanceBy(Duration.ofHours(1)),
                TimeWindows.ofSizeAndGrace(Duration.ofDays(7), GRACE).advanceBy(Duration.ofDays(1)))) {
            final String name = Duration.ofMillis(windows.size()).toString();
            grouped.windowedBy(windows)
                    .count(Named.as("count-" + name), Materialized.<String, Long, WindowStore<Bytes, byte[]>>as(
                            "counts-" + name).withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
                    .toStream(Named.as("changes-" + name))
                    .map(TextbookApps::outputRecord, Named.as("key-" + name))
                    .to(output, Produced.with(Serdes.String(), Serdes.Long()).withName("out-" + name));
        }
        return builder.build();
    }

    /** Incidents and seizures as one stream of threat types by region, optionally deduplicated by eventId first. */
    private static KStream<String, String> threatTypes(final StreamsBuilder builder, final boolean dedup) {
        KStream<String, BorderIncident> incidents = builder.stream(Topics.INCIDENTS.name(),
                Consumed.with(Topics.KEY, Topics.INCIDENTS.valueSerde()).withTimestampExtractor(new OccurredAt())
                        .withName("incidents"));
        KStream<String, DrugSeizure> seizures = builder.stream(Topics.SEIZURES.name(),
                Consumed.with(Topics.KEY, Topics.SEIZURES.valueSerde()).withTimestampExtractor(new OccurredAt())
                        .withName("seizures"));
        if (dedup) {
            // Both inputs are co-partitioned by region, and a retried report keeps its region: one store serves both.
            incidents = incidents.process(() -> new FirstOnly<>(incident -> incident.getEventId().toString()),
                    Named.as("dedup-incidents"), EVENT_IDS);
            seizures = seizures.process(() -> new FirstOnly<>(seizure -> seizure.getEventId().toString()),
                    Named.as("dedup-seizures"), EVENT_IDS);
        }
        return incidents.mapValues(incident -> incident.getThreatType().name(), Named.as("incident-threat"))
                .merge(seizures.mapValues(seizure -> "DRUG_TRAFFICKING", Named.as("seizure-threat")),
                        Named.as("reports"));
    }

    private static KeyValue<String, Long> outputRecord(final Windowed<String> window, final Long count) {
        return KeyValue.pair(window.key() + "@" + window.window().start(), count);
    }

    /** Event time is when it happened, not when it was reported. */
    static final class OccurredAt implements TimestampExtractor {

        @Override
        public long extract(final ConsumerRecord<Object, Object> record, final long partitionTime) {
            if (record.value() instanceof BorderIncident incident) {
                return incident.getOccurredAt().toEpochMilli();
            }
            if (record.value() instanceof DrugSeizure seizure) {
                return seizure.getOccurredAt().toEpochMilli();
            }
            return record.timestamp();
        }
    }

    /**
     * Forwards a report only the first time its eventId is seen within the dedup retention: a window store keyed
     * by eventId, probed around the event's time and written on first sight.
     */
    static final class FirstOnly<V> implements Processor<String, V, String, V> {

        private final java.util.function.Function<V, String> eventId;
        private ProcessorContext<String, V> context;
        private WindowStore<String, Long> seen;

        FirstOnly(final java.util.function.Function<V, String> eventId) {
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

    /**
     * {@code TextbookApps single|three <bootstrap> <application.id> <state dir> <output topic> <commit ms>
     * <stream threads>}: runs until SIGTERM, then closes.
     */
    public static void main(final String[] args) throws InterruptedException {
        AvroTrust.install();
        final String output = args[4];
        final Topology topology = "single".equals(args[0]) ? singleWindow(output) : threeWindows(output);
        final Properties properties = new Properties();
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args[1]);
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, args[2]);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, args[3]);
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.parseLong(args[5]));
        properties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.parseInt(args[6]));
        final KafkaStreams streams = new KafkaStreams(topology, properties);
        final CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close(Duration.ofSeconds(20));
            closed.countDown();
        }, "textbook-shutdown"));
        streams.start();
        closed.await();
    }
}
