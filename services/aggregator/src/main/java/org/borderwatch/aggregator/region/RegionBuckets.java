package org.borderwatch.aggregator.region;

import java.time.Instant;
import java.util.HashSet;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.apache.kafka.streams.kstream.Windowed;
import org.borderwatch.aggregator.window.Bucket;
import org.borderwatch.aggregator.window.BucketSource;
import org.borderwatch.aggregator.window.Granularity;

/** Region buckets: one window store per granularity, keyed {@code region|threatType}, timestamped by bucket start. */
public final class RegionBuckets implements BucketSource {

    private final ReadOnlyWindowStore<String, Bucket> hourly;
    private final ReadOnlyWindowStore<String, Bucket> daily;

    public RegionBuckets(final ReadOnlyWindowStore<String, Bucket> hourly,
                         final ReadOnlyWindowStore<String, Bucket> daily) {
        this.hourly = hourly;
        this.daily = daily;
    }

    @Override
    public NavigableMap<Long, Bucket> fetch(final Granularity granularity, final String key, final long fromStart,
                                            final long toStart) {
        final NavigableMap<Long, Bucket> buckets = new TreeMap<>();
        try (WindowStoreIterator<Bucket> found = store(granularity).fetch(key,
                Instant.ofEpochMilli(Math.max(0, fromStart)), Instant.ofEpochMilli(Math.max(0, toStart)))) {
            found.forEachRemaining(entry -> buckets.put(entry.key, entry.value));
        }
        return buckets;
    }

    @Override
    public Set<String> keys(final Granularity granularity, final long fromStart, final long toStart) {
        final Set<String> keys = new HashSet<>();
        try (KeyValueIterator<Windowed<String>, Bucket> found = store(granularity).fetchAll(
                Instant.ofEpochMilli(Math.max(0, fromStart)), Instant.ofEpochMilli(Math.max(0, toStart)))) {
            found.forEachRemaining(entry -> keys.add(entry.key.key()));
        }
        return keys;
    }

    private ReadOnlyWindowStore<String, Bucket> store(final Granularity granularity) {
        return granularity == Granularity.HOURLY ? hourly : daily;
    }
}
