package org.borderwatch.bench.baseline;

import java.time.Duration;
import java.time.Instant;
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
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.apache.kafka.streams.state.WindowStore;
import org.borderwatch.avro.BorderIncident;
import org.borderwatch.avro.DrugSeizure;
import org.borderwatch.bench.process.BenchLogging;
import org.borderwatch.schemas.Topics;

/**
 * The bare application the aggregator is measured against (issue 10's yardstick): a textbook Kafka Streams DSL
 * topology over the same input topics, exactly-once v2, with exactly-once's default commit interval (100 ms; the
 * aggregator ships 1 s and commits on demand for live data) and the default record cache. It counts reports per
 * {@code region|threatType} in 1-hour tumbling windows of occurredAt (6 h grace, as the aggregator) and writes the
 * counts to {@code <application.id>-counts}. No dedup, no late routing, no rules, no roll-up: what any Streams
 * application pays for decoding, repartitioning, one windowed store and exactly-once.
 *
 * <p>API for other runners (the {@code ./borderwatch bench} command): {@link #properties} then {@link #run}, which
 * starts the application and returns it running; the caller measures its group's committed offsets and closes it.
 * {@link #main} runs it as its own process until SIGTERM: {@code SingleWindowApp <bootstrap> <application.id>
 * <state.dir> [stream threads (2)]}. The output topic must exist ({@link #outputTopic}).
 */
public final class SingleWindowApp {

    static final Duration WINDOW = Duration.ofHours(1);
    static final Duration GRACE = Duration.ofHours(6);
    /** Two, as the aggregator service's {@code borderwatch.aggregator.stream-threads}. */
    public static final int DEFAULT_THREADS = 2;

    private SingleWindowApp() {
    }

    /** The output topic of the application {@code applicationId}: windowed key, count. */
    public static String outputTopic(final String applicationId) {
        return applicationId + "-counts";
    }

    /** Exactly-once v2 and 100 ms commits (exactly-once's default, what a textbook app runs with); default cache. */
    public static Properties properties(final String bootstrapServers, final String applicationId,
                                        final String stateDir, final int threads) {
        final Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        properties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        return properties;
    }

    public static Topology topology(final String outputTopic) {
        final StreamsBuilder builder = new StreamsBuilder();
        final TimestampExtractor occurredAt = SingleWindowApp::occurredAt;
        final KStream<String, String> incidents = builder
                .stream(Topics.INCIDENTS.name(), Consumed.with(Topics.INCIDENTS.keySerde(),
                        Topics.INCIDENTS.valueSerde()).withTimestampExtractor(occurredAt).withName("incidents"))
                .mapValues(incident -> incident.getThreatType().name(), Named.as("incident-type"));
        final KStream<String, String> seizures = builder
                .stream(Topics.SEIZURES.name(), Consumed.with(Topics.SEIZURES.keySerde(),
                        Topics.SEIZURES.valueSerde()).withTimestampExtractor(occurredAt).withName("seizures"))
                .mapValues(seizure -> "DRUG_TRAFFICKING", Named.as("seizure-type"));
        incidents.merge(seizures, Named.as("reports"))
                // The textbook key change: a repartition topic, as any groupBy on a new key.
                .groupBy((region, threatType) -> region + "|" + threatType,
                        Grouped.with("by-region-type", Serdes.String(), Serdes.String()))
                .windowedBy(TimeWindows.ofSizeAndGrace(WINDOW, GRACE))
                .count(Named.as("count"), Materialized.<String, Long, WindowStore<Bytes, byte[]>>as("hourly-counts")
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
                .toStream(Named.as("changes"))
                .map((window, count) -> KeyValue.pair(window.key() + "|" + Instant.ofEpochMilli(window.window().start()),
                        count), Named.as("readable-key"))
                .to(outputTopic, Produced.with(Serdes.String(), Serdes.Long()).withName("counts"));
        return builder.build();
    }

    /** Starts the application; it runs until the caller closes it. */
    public static KafkaStreams run(final Properties properties) {
        final KafkaStreams streams = new KafkaStreams(
                topology(outputTopic(properties.getProperty(StreamsConfig.APPLICATION_ID_CONFIG))), properties);
        streams.start();
        return streams;
    }

    public static void main(final String[] args) throws InterruptedException {
        BenchLogging.quietUnlessConfigured();
        if (args.length < 3 || args.length > 4) {
            System.err.println("usage: SingleWindowApp <bootstrap servers> <application.id> <state dir>"
                    + " [stream threads (" + DEFAULT_THREADS + ")]");
            System.exit(2);
        }
        final int threads = args.length == 4 ? Integer.parseInt(args[3]) : DEFAULT_THREADS;
        final KafkaStreams streams = run(properties(args[0], args[1], args[2], threads));
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close(Duration.ofSeconds(30));
            stopped.countDown();
        }, "single-window-app-shutdown"));
        stopped.await();
    }

    /** Event time is occurredAt, as in the aggregator; the value is already decoded when this runs. */
    static long occurredAt(final ConsumerRecord<Object, Object> record, final long partitionTime) {
        if (record.value() instanceof BorderIncident incident) {
            return incident.getOccurredAt().toEpochMilli();
        }
        if (record.value() instanceof DrugSeizure seizure) {
            return seizure.getOccurredAt().toEpochMilli();
        }
        return record.timestamp();
    }
}
