package org.borderwatch.aggregator;

import static org.borderwatch.aggregator.store.StoreNames.COUNTRY_BREACHES_STORE;
import static org.borderwatch.aggregator.store.StoreNames.COUNTRY_DAILY_STORE;
import static org.borderwatch.aggregator.store.StoreNames.COUNTRY_HOURLY_STORE;
import static org.borderwatch.aggregator.store.StoreNames.COUNTRY_MINUTELY_STORE;
import static org.borderwatch.aggregator.store.StoreNames.COUNTRY_PENDING_STORE;
import static org.borderwatch.aggregator.store.StoreNames.COUNTRY_SNAPSHOTS;
import static org.borderwatch.aggregator.store.StoreNames.EVENT_IDS_STORE;
import static org.borderwatch.aggregator.store.StoreNames.EVENT_ID_BATCHES_STORE;
import static org.borderwatch.aggregator.store.StoreNames.REGION_BREACHES_STORE;
import static org.borderwatch.aggregator.store.StoreNames.REGION_DAILY_STORE;
import static org.borderwatch.aggregator.store.StoreNames.REGION_HOURLY_STORE;
import static org.borderwatch.aggregator.store.StoreNames.REGION_MINUTELY_STORE;
import static org.borderwatch.aggregator.store.StoreNames.REGION_PENDING_STORE;
import static org.borderwatch.aggregator.store.StoreNames.RULES_STORE;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.BranchedKStream;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.borderwatch.aggregator.config.AggregatorConfig;
import org.borderwatch.aggregator.region.RegionProcessor;
import org.borderwatch.aggregator.report.OccurredAtExtractor;
import org.borderwatch.aggregator.report.Report;
import org.borderwatch.aggregator.report.ReportSerde;
import org.borderwatch.aggregator.rollup.CountryProcessor;
import org.borderwatch.aggregator.rollup.RollupSnapshot;
import org.borderwatch.aggregator.rules.BreachState;
import org.borderwatch.aggregator.store.BucketStore;
import org.borderwatch.aggregator.store.EventIdStore;
import org.borderwatch.aggregator.store.StoreNames;
import org.borderwatch.aggregator.window.Bucket;
import org.borderwatch.aggregator.window.DirtyRange;
import org.borderwatch.aggregator.window.Granularity;
import org.borderwatch.avro.AlertRule;
import org.borderwatch.avro.Breach;
import org.borderwatch.avro.LateEvent;
import org.borderwatch.avro.ThreatAggregate;
import org.borderwatch.schemas.Topic;
import org.borderwatch.schemas.Topics;

/**
 * The aggregator topology, built by a pure function: no I/O, no framework; the host and the tests call
 * {@link #build(AggregatorConfig)} and run it with {@link AggregatorConfig#streamsProperties()}.
 *
 * <pre>
 * border.incidents.v1 ─┐ (key region, co-partitioned; event time = occurredAt)
 * border.seizures.v1 ──┴─ merge ─► region-aggregator ─┬─► border.threat-aggregates.v1   (region windows)
 *   stores: event-id-batches, event-ids (earlier    ├─► border.breaches.v1           (region rules)
 *   releases', read only), region-hourly-buckets,     ├─► border.late-events.v1
 *   region-daily-buckets, region-pending-emits,       └─► repartition country-snapshots (key country)
 *   region-breaches
 *                                                              │
 *                                                              ▼
 *                                                      country-aggregator ─┬─► border.threat-aggregates.v1
 *   stores: country-hourly-buckets, country-daily-buckets,                 └─► border.breaches.v1
 *   country-pending-emits, country-breaches
 *   (and region-minutely-buckets, country-minutely-buckets when a window is not whole hours)
 * border.alert-rules.v1 ─► global store alert-rules (read by both aggregators)
 * undecodable or uncountable records ─► border.deadletter.v1 (Kafka Streams' dead-letter queue)
 * </pre>
 *
 * Every source, processor and sink is named by a constant here, every store, changelog and the repartition topic
 * in {@link StoreNames}, so adding an operator never renames state; {@code ensure.explicit.internal.resource.naming}
 * enforces it at build time.
 */
public final class AggregatorTopology {

    public static final String INCIDENTS_SOURCE = "incidents-source";
    public static final String SEIZURES_SOURCE = "seizures-source";
    public static final String RULES_SOURCE = "alert-rules-source";
    public static final String MERGE_REPORTS = "merge-reports";
    public static final String REGION_PROCESSOR = "region-aggregator";
    public static final String REGION_ROUTE = "region-route-";
    public static final String COUNTRY_PROCESSOR = "country-aggregator";
    public static final String COUNTRY_ROUTE = "country-route-";
    public static final String ROLLUPS_CAST = "rollups-cast";
    private static final String ROLLUPS_BRANCH = "rollups";


    private AggregatorTopology() {
    }

    public static Topology build(final AggregatorConfig config) {
        final StreamsBuilder builder = new StreamsBuilder(
                new TopologyConfig(new StreamsConfig(config.streamsProperties())));

        // A global store: every task evaluates rules for its own regions, and every task must see every rule.
        builder.globalTable(Topics.ALERT_RULES.name(),
                Consumed.with(Topics.ALERT_RULES.keySerde(), Topics.ALERT_RULES.valueSerde()).withName(RULES_SOURCE),
                Materialized.<String, AlertRule, KeyValueStore<Bytes, byte[]>>as(RULES_STORE)
                        .withKeySerde(Topics.ALERT_RULES.keySerde())
                        .withValueSerde(Topics.ALERT_RULES.valueSerde()));
        final List<StoreBuilder<?>> regionStores = regionStores(config);
        final List<StoreBuilder<?>> countryStores = countryStores(config);
        regionStores.forEach(builder::addStateStore);
        countryStores.forEach(builder::addStateStore);

        final OccurredAtExtractor eventTime = new OccurredAtExtractor(config.clockSkew());
        final KStream<String, Report> incidents = builder.stream(Topics.INCIDENTS.name(),
                Consumed.with(Topics.INCIDENTS.keySerde(), ReportSerde.incidents())
                        .withTimestampExtractor(eventTime).withName(INCIDENTS_SOURCE));
        final KStream<String, Report> seizures = builder.stream(Topics.SEIZURES.name(),
                Consumed.with(Topics.SEIZURES.keySerde(), ReportSerde.seizures())
                        .withTimestampExtractor(eventTime).withName(SEIZURES_SOURCE));

        // Both topics are keyed by region with the same partition count, so one task sees all of a region.
        final Map<String, KStream<String, Object>> regionOutputs = route(incidents
                .merge(seizures, Named.as(MERGE_REPORTS))
                .process(() -> new RegionProcessor(config), Named.as(REGION_PROCESSOR),
                        names(regionStores))
                .split(Named.as(REGION_ROUTE)), REGION_ROUTE, true);

        // Roll-up: only changed region buckets cross the network, once per punctuation, not every event.
        route(regionOutputs.get(REGION_ROUTE + ROLLUPS_BRANCH)
                .mapValues(value -> (RollupSnapshot) value, Named.as(ROLLUPS_CAST))
                .repartition(Repartitioned.<String, RollupSnapshot>as(COUNTRY_SNAPSHOTS)
                        .withKeySerde(Topics.KEY).withValueSerde(RollupSnapshot.SERDE))
                .process(() -> new CountryProcessor(config), Named.as(COUNTRY_PROCESSOR),
                        names(countryStores))
                .split(Named.as(COUNTRY_ROUTE)), COUNTRY_ROUTE, false);

        return builder.build();
    }

    /** The state stores of the region stage; logged (changelog {@code <application.id>-<name>-changelog}). */
    private static List<StoreBuilder<?>> regionStores(final AggregatorConfig config) {
        final List<StoreBuilder<?>> stores = new ArrayList<>();
        // Dedup: counted ids in batches, one record per commit and day (EventIdStore).
        stores.add(EventIdStore.builder(EVENT_ID_BATCHES_STORE));
        // The one-record-per-id store of earlier releases, only read: see StoreNames.EVENT_IDS_STORE.
        stores.add(Stores.windowStoreBuilder(Stores.persistentWindowStore(EVENT_IDS_STORE, config.dedupRetention(),
                Duration.ofMillis(1), false), Topics.KEY, Serdes.Long()).withCachingDisabled());
        // Bucket stores that take the processor's changes as objects and write them once per read or commit.
        stores.add(BucketStore.builder(REGION_HOURLY_STORE, config.bucketRetention(Granularity.HOURLY),
                Granularity.HOURLY.size()));
        stores.add(BucketStore.builder(REGION_DAILY_STORE, config.bucketRetention(Granularity.DAILY),
                Granularity.DAILY.size()));
        stores.add(keyValueStore(REGION_PENDING_STORE, DirtyRange.SERDE));
        stores.add(keyValueStore(REGION_BREACHES_STORE, BreachState.SERDE));
        if (config.uses(Granularity.MINUTELY)) {
            stores.add(BucketStore.builder(REGION_MINUTELY_STORE, config.bucketRetention(Granularity.MINUTELY),
                    Granularity.MINUTELY.size()));
        }
        return stores;
    }

    private static List<StoreBuilder<?>> countryStores(final AggregatorConfig config) {
        final List<StoreBuilder<?>> stores = new ArrayList<>();
        stores.add(bucketStore(COUNTRY_HOURLY_STORE, config.rollupRetention(Granularity.HOURLY), Granularity.HOURLY));
        stores.add(bucketStore(COUNTRY_DAILY_STORE, config.rollupRetention(Granularity.DAILY), Granularity.DAILY));
        stores.add(keyValueStore(COUNTRY_PENDING_STORE, DirtyRange.SERDE));
        stores.add(keyValueStore(COUNTRY_BREACHES_STORE, BreachState.SERDE));
        if (config.uses(Granularity.MINUTELY)) {
            stores.add(bucketStore(COUNTRY_MINUTELY_STORE, config.rollupRetention(Granularity.MINUTELY),
                    Granularity.MINUTELY));
        }
        return stores;
    }

    private static String[] names(final List<StoreBuilder<?>> stores) {
        return stores.stream().map(StoreBuilder::name).toArray(String[]::new);
    }

    private static StoreBuilder<?> bucketStore(final String name, final Duration retention,
                                               final Granularity granularity) {
        // The record cache absorbs the many updates a busy bucket gets between commits.
        return Stores.windowStoreBuilder(Stores.persistentWindowStore(name, retention, granularity.size(), false),
                Topics.KEY, Bucket.SERDE).withCachingEnabled();
    }

    private static <V> StoreBuilder<?> keyValueStore(final String name, final Serde<V> valueSerde) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Topics.KEY, valueSerde)
                .withCachingEnabled();
    }

    /** Sends each output type to its topic; with {@code rollups}, returns the roll-up branch for the caller. */
    private static Map<String, KStream<String, Object>> route(final BranchedKStream<String, Object> outputs,
                                                              final String prefix, final boolean rollups) {
        outputs.branch((key, value) -> value instanceof ThreatAggregate,
                        toTopic(Topics.THREAT_AGGREGATES, ThreatAggregate.class, prefix + "aggregates"))
                .branch((key, value) -> value instanceof Breach,
                        toTopic(Topics.BREACHES, Breach.class, prefix + "breaches"));
        if (rollups) {
            outputs.branch((key, value) -> value instanceof LateEvent,
                            toTopic(Topics.LATE_EVENTS, LateEvent.class, prefix + "late-events"))
                    .branch((key, value) -> value instanceof RollupSnapshot, Branched.as(ROLLUPS_BRANCH));
        }
        return outputs.noDefaultBranch();
    }

    private static <T> Branched<String, Object> toTopic(final Topic<String, T> topic, final Class<T> type,
                                                        final String name) {
        return Branched.withConsumer(stream -> stream
                .mapValues(type::cast, Named.as(name + "-cast"))
                .to(topic.name(), Produced.with(topic.keySerde(), topic.valueSerde()).withName(name + "-sink")),
                "to-" + name);
    }
}
