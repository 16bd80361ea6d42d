package org.borderwatch.aggregator.rollup;

import java.util.EnumMap;
import java.util.Map;

import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.borderwatch.aggregator.config.AggregatorConfig;
import org.borderwatch.aggregator.emit.LevelPublisher;
import org.borderwatch.aggregator.metrics.AggregatorMetrics;
import org.borderwatch.aggregator.rules.Level;
import org.borderwatch.aggregator.store.StoreNames;
import org.borderwatch.aggregator.window.Bucket;
import org.borderwatch.aggregator.window.BucketKey;
import org.borderwatch.aggregator.window.Granularity;

/**
 * The country roll-up stage, in the task that owns the country's partition of the snapshot repartition topic.
 * Keeps the latest snapshot of every region bucket of its countries and, per punctuation, emits the changed country
 * windows (region field = the country code) and evaluates rules that name the country.
 *
 * <p>Output (key, value): aggregate key and {@code ThreatAggregate}; breachId and {@code Breach}.
 */
public final class CountryProcessor implements Processor<String, RollupSnapshot, String, Object> {

    private final AggregatorConfig config;
    private final Map<Granularity, WindowStore<String, Bucket>> snapshots = new EnumMap<>(Granularity.class);
    private final Map<Granularity, Long> latestStart = new EnumMap<>(Granularity.class);
    private ProcessorContext<String, Object> context;
    private LevelPublisher publisher;
    private Sensor expiredSnapshots;

    public CountryProcessor(final AggregatorConfig config) {
        this.config = config;
    }

    @Override
    public void init(final ProcessorContext<String, Object> context) {
        this.context = context;
        snapshots.clear();
        for (final Granularity granularity : StoreNames.storedGranularities(config)) {
            snapshots.put(granularity, context.getStateStore(StoreNames.buckets(Level.COUNTRY, granularity)));
        }
        this.publisher = new LevelPublisher(context, Level.COUNTRY, config.windows(), config.emitTimeShare(),
                new CountryBuckets(snapshots), (key, range, figures) -> { });
        this.expiredSnapshots = AggregatorMetrics.sensor(context, AggregatorMetrics.EXPIRED_ROLLUP_SNAPSHOTS);
        context.schedule(config.punctuationInterval(), PunctuationType.WALL_CLOCK_TIME, publisher::flush);
    }

    @Override
    public void process(final Record<String, RollupSnapshot> record) {
        final RollupSnapshot snapshot = record.value();
        final Granularity granularity = snapshot.granularity();
        // The window store would drop it with a WARN line per record; count it instead, once.
        final long latest = latestStart.merge(granularity, snapshot.bucketStart(), Math::max);
        if (snapshot.bucketStart() <= latest - config.rollupRetention(granularity).toMillis()) {
            expiredSnapshots.record();
            return;
        }
        snapshots.get(granularity).put(CountryBuckets.storeKey(record.key(), snapshot), snapshot.bucket(),
                snapshot.bucketStart());
        publisher.markDirty(BucketKey.of(record.key(), snapshot.threatType()), granularity, snapshot.bucketStart());
    }

    @Override
    public void close() {
        context.metrics().removeSensor(expiredSnapshots);
    }
}
