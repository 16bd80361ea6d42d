package org.borderwatch.aggregator.region;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.borderwatch.aggregator.config.AggregatorConfig;
import org.borderwatch.aggregator.deadletter.InvalidReportException;
import org.borderwatch.aggregator.emit.LevelPublisher;
import org.borderwatch.aggregator.metrics.AggregatorMetrics;
import org.borderwatch.aggregator.report.Report;
import org.borderwatch.aggregator.rollup.RollupSnapshot;
import org.borderwatch.aggregator.rules.Level;
import org.borderwatch.aggregator.store.BucketStore;
import org.borderwatch.aggregator.store.EventIdStore;
import org.borderwatch.aggregator.store.StoreNames;
import org.borderwatch.aggregator.window.Bucket;
import org.borderwatch.aggregator.window.BucketKey;
import org.borderwatch.aggregator.window.BucketSource;
import org.borderwatch.aggregator.window.DirtyRange;
import org.borderwatch.aggregator.window.Granularity;
import org.borderwatch.aggregator.window.WindowFigures;
import org.borderwatch.avro.LateEvent;

/**
 * The per-region stage, in the task that owns the region's partition of {@code border.incidents.v1} and
 * {@code border.seizures.v1} (both keyed by region and co-partitioned, so no repartition is needed).
 *
 * <p>Per report: reject what cannot be counted (dead-letter topic), drop a retried eventId, route a report older
 * than stream time minus grace to {@code border.late-events.v1}, otherwise add it to one hourly and one daily
 * bucket of {@code region|threatType} and mark the key for the next emit. Per punctuation: emit the changed
 * windows, evaluate rules, and ship the changed buckets to the country roll-up.
 *
 * <p>Output (key, value): aggregate key and {@code ThreatAggregate}; breachId and {@code Breach}; region and
 * {@code LateEvent}; country and {@link RollupSnapshot}.
 */
public final class RegionProcessor implements Processor<String, Report, String, Object> {

    private final AggregatorConfig config;
    /** Bucket objects most recently read or written per granularity; see {@link #bucket}. */
    private static final int RECENT_BUCKETS = 2048;

    private final Map<Granularity, BucketStore> buckets = new EnumMap<>(Granularity.class);
    private final Map<Granularity, Map<BucketRef, Bucket>> recent = new EnumMap<>(Granularity.class);
    private ProcessorContext<String, Object> context;
    private EventIdStore eventIds;
    private LevelPublisher publisher;
    private Sensor lateEvents;
    private Sensor duplicateEvents;

    public RegionProcessor(final AggregatorConfig config) {
        this.config = config;
    }

    @Override
    public void init(final ProcessorContext<String, Object> context) {
        this.context = context;
        this.eventIds = context.getStateStore(StoreNames.EVENT_ID_BATCHES_STORE);
        eventIds.load();
        // Ids counted by an earlier release, one record per id; nothing writes there any more (see StoreNames).
        final WindowStore<String, Long> earlierIds = context.getStateStore(StoreNames.EVENT_IDS_STORE);
        try (KeyValueIterator<Windowed<String>, Long> all = earlierIds.all()) {
            all.forEachRemaining(entry -> eventIds.addCommitted(UUID.fromString(entry.key.key()),
                    entry.key.window().start()));
        }
        final Map<Granularity, BucketStore> stored = new EnumMap<>(Granularity.class);
        for (final Granularity granularity : StoreNames.storedGranularities(config)) {
            stored.put(granularity, context.getStateStore(StoreNames.buckets(Level.REGION, granularity)));
        }
        buckets.clear();
        recent.clear();
        for (final Granularity granularity : Granularity.values()) {
            if (config.uses(granularity)) {
                buckets.put(granularity, stored.get(granularity));
                recent.put(granularity, new LinkedHashMap<>(RECENT_BUCKETS * 2, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(final Map.Entry<BucketRef, Bucket> eldest) {
                        return size() > RECENT_BUCKETS;
                    }
                });
            }
        }
        this.publisher = new LevelPublisher(context, Level.REGION, config.windows(), config.emitTimeShare(),
                new WrittenBeforeRead(new RegionBuckets(stored), stored.values()), this::shipToCountry);
        this.lateEvents = AggregatorMetrics.sensor(context, AggregatorMetrics.LATE_EVENTS);
        this.duplicateEvents = AggregatorMetrics.sensor(context, AggregatorMetrics.DUPLICATE_EVENTS);
        context.schedule(config.punctuationInterval(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    private void punctuate(final long wallClockTime) {
        publisher.flush(wallClockTime);
        eventIds.expireBefore(context.currentStreamTimeMs() - config.dedupRetention().toMillis());
    }

    @Override
    public void process(final Record<String, Report> record) {
        final Report report = validated(record);
        final long streamTime = context.currentStreamTimeMs();
        // The same eventId always has the same region, so this task has seen every earlier copy.
        if (eventIds.seen(report.eventId())) {
            duplicateEvents.record();
            return;
        }
        final long cutOff = streamTime - config.grace().toMillis();
        if (report.occurredAt() < cutOff) {
            lateEvents.record();
            context.forward(new Record<>(report.region(), lateEvent(report, streamTime, cutOff), streamTime));
            return;
        }
        eventIds.add(report.eventId(), report.occurredAt());
        final String key = BucketKey.of(report.region(), report.threatType());
        for (final Map.Entry<Granularity, BucketStore> store : buckets.entrySet()) {
            final long start = store.getKey().bucketStart(report.occurredAt());
            final Bucket bucket = bucket(store.getKey(), store.getValue(), key, start);
            bucket.add(report);
            store.getValue().put(key, bucket, start);
            publisher.markDirty(key, store.getKey(), start);
        }
        publisher.reportAdded(key, report);
    }

    /**
     * The bucket to add a report to. This processor is the only writer of its bucket stores, so the object it last
     * wrote is what the store holds (or will, once its pending change is written): reading it again would only decode
     * the same bytes. Kept per task, bounded, and emptied whenever Kafka Streams (re-)initialises the processor, i.e.
     * whenever the stores may have been restored or rolled back.
     */
    private Bucket bucket(final Granularity granularity, final BucketStore store, final String key,
                          final long start) {
        final Map<BucketRef, Bucket> cached = recent.get(granularity);
        final BucketRef ref = new BucketRef(key, start);
        Bucket bucket = cached.get(ref);
        if (bucket == null) {
            final Bucket stored = store.get(key, start);
            bucket = stored == null ? new Bucket() : stored;
            cached.put(ref, bucket);
        }
        return bucket;
    }

    /** A bucket's key and start; hand-written equality, as it is compared on every report. */
    private static final class BucketRef {

        private final String key;
        private final long start;
        private final int hash;

        BucketRef(final String key, final long start) {
            this.key = key;
            this.start = start;
            this.hash = 31 * key.hashCode() + Long.hashCode(start);
        }

        @Override
        public boolean equals(final Object other) {
            return other instanceof BucketRef ref && ref.start == start && ref.hash == hash && ref.key.equals(key);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /**
     * The buckets as the publisher and the breach tracker read them: every pending change is written to the stores
     * first, so a read sees every counted report.
     */
    private record WrittenBeforeRead(BucketSource source, Collection<BucketStore> stores) implements BucketSource {

        @Override
        public NavigableMap<Long, Bucket> fetch(final Granularity granularity, final String key,
                                                final long fromStart, final long toStart) {
            stores.forEach(BucketStore::writePending);
            return source.fetch(granularity, key, fromStart, toStart);
        }

        @Override
        public Set<String> keys(final Granularity granularity, final long fromStart, final long toStart) {
            stores.forEach(BucketStore::writePending);
            return source.keys(granularity, fromStart, toStart);
        }
    }

    @Override
    public void close() {
        recent.clear();
        context.metrics().removeSensor(lateEvents);
        context.metrics().removeSensor(duplicateEvents);
    }

    private Report validated(final Record<String, Report> record) {
        final Report report = record.value();
        if (report == null) {
            throw new InvalidReportException("the value is null: event topics carry reports, not deletions");
        }
        if (!isSubdivisionCode(report.region())) {
            throw new InvalidReportException("region '" + report.region()
                    + "' is not an ISO 3166-2 subdivision code such as TJ-KT");
        }
        if (!report.region().equals(record.key())) {
            throw new InvalidReportException("the record key '" + record.key() + "' is not the report's region '"
                    + report.region() + "'; reports are partitioned by region");
        }
        if (record.timestamp() != report.occurredAt()) {
            throw new InvalidReportException("occurredAt " + Instant.ofEpochMilli(report.occurredAt())
                    + " lies more than " + config.clockSkew() + " after the time Kafka received the report; the"
                    + " reporting clock is wrong");
        }
        if (!Double.isFinite(report.quantityKg()) || report.quantityKg() < 0) {
            throw new InvalidReportException("quantityKg " + report.quantityKg() + " is not a number >= 0");
        }
        return report;
    }

    /**
     * {@code [A-Z]{2}-[A-Z0-9]{1,3}}, an ISO 3166-2 subdivision code, without a regular expression: a
     * {@code Matcher} per report was 1.8 % of the aggregator's samples in a 1,000,000-event catch-up (JFR, 7 December
     * 2026). {@code RegionCodeTest} holds it to the expression.
     */
    static boolean isSubdivisionCode(final String region) {
        final int length = region.length();
        if (length < 4 || length > 6 || region.charAt(2) != '-') {
            return false;
        }
        for (int i = 0; i < length; i++) {
            final char c = region.charAt(i);
            final boolean letter = c >= 'A' && c <= 'Z';
            if (i < 2 ? !letter : i > 2 && !letter && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    private LateEvent lateEvent(final Report report, final long streamTime, final long cutOff) {
        return LateEvent.newBuilder()
                .setSourceTopic(context.recordMetadata().map(RecordMetadata::topic).orElse(""))
                .setEventId(report.eventId())
                .setRegion(report.region())
                .setThreatType(report.threatType())
                .setOccurredAt(Instant.ofEpochMilli(report.occurredAt()))
                .setObservedStreamTime(Instant.ofEpochMilli(streamTime))
                .setReason("occurred at " + Instant.ofEpochMilli(report.occurredAt()) + ", before the cut-off "
                        + Instant.ofEpochMilli(cutOff) + " (stream time " + Instant.ofEpochMilli(streamTime)
                        + " minus grace " + config.grace() + "); not counted")
                .setPayload(ByteBuffer.wrap(report.payload()))
                .build();
    }

    /** Roll-up: the region's changed buckets go, whole, to the task that owns its country. */
    private void shipToCountry(final String key, final DirtyRange range, final WindowFigures figures) {
        final BucketKey regionKey = BucketKey.parse(key);
        final String country = Report.countryOf(regionKey.code());
        for (final Granularity granularity : buckets.keySet()) {
            if (!range.has(granularity)) {
                continue;
            }
            final NavigableMap<Long, Bucket> changed = figures.changedBuckets(key, granularity, range);
            changed.forEach((start, bucket) -> context.forward(new Record<>(country,
                    new RollupSnapshot(country, regionKey.code(), regionKey.threatType(), granularity, start, bucket),
                    bucket.lastEventAt(start))));
        }
    }
}
