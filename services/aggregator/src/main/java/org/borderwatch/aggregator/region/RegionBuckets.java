package org.borderwatch.aggregator.region;

import java.util.HashSet;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.apache.kafka.streams.kstream.Windowed;
import org.borderwatch.aggregator.store.WindowRanges;
import org.borderwatch.aggregator.window.Bucket;
import org.borderwatch.aggregator.window.BucketSource;
import org.borderwatch.aggregator.window.Granularity;

/** Region buckets: one window store per stored granularity, keyed {@code region|threatType}, timestamped by bucket start. */
public final class RegionBuckets implements BucketSource {

    private final Map<Granularity, ? extends ReadOnlyWindowStore<String, Bucket>> stores;

    /** @param stores the bucket store of every granularity the topology keeps */
    public RegionBuckets(final Map<Granularity, ? extends ReadOnlyWindowStore<String, Bucket>> stores) {
        this.stores = Map.copyOf(stores);
    }

    @Override
    public NavigableMap<Long, Bucket> fetch(final Granularity granularity, final String key, final long fromStart,
                                            final long toStart) {
        final NavigableMap<Long, Bucket> buckets = new TreeMap<>();
        try (WindowStoreIterator<Bucket> found = WindowRanges.fetch(store(granularity), key, Math.max(0, fromStart),
                Math.max(0, toStart))) {
            found.forEachRemaining(entry -> buckets.put(entry.key, entry.value));
        }
        return buckets;
    }

    @Override
    public Set<String> keys(final Granularity granularity, final long fromStart, final long toStart) {
        final Set<String> keys = new HashSet<>();
        try (KeyValueIterator<Windowed<String>, Bucket> found = WindowRanges.fetchAll(store(granularity),
                Math.max(0, fromStart), Math.max(0, toStart))) {
            found.forEachRemaining(entry -> keys.add(entry.key.key()));
        }
        return keys;
    }

    private ReadOnlyWindowStore<String, Bucket> store(final Granularity granularity) {
        final ReadOnlyWindowStore<String, Bucket> store = stores.get(granularity);
        if (store == null) {
            throw new IllegalStateException("no " + granularity + " bucket store: no configured window needs one");
        }
        return store;
    }
}
