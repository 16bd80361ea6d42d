package org.borderwatch.aggregator.rollup;

import java.util.HashSet;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.borderwatch.aggregator.store.WindowRanges;
import org.borderwatch.aggregator.window.Bucket;
import org.borderwatch.aggregator.window.BucketSource;
import org.borderwatch.aggregator.window.BucketKey;
import org.borderwatch.aggregator.window.Granularity;

/**
 * Country buckets, computed on read: the stores hold the latest snapshot of every region bucket, keyed
 * {@code country|threatType|region}; a country bucket is the merge of its regions' buckets of the same start.
 */
public final class CountryBuckets implements BucketSource {

    /** Sorts after every character of a region code, to end a key-range scan over one country and threat type. */
    private static final char KEY_RANGE_END = '\uffff';

    private final Map<Granularity, ? extends ReadOnlyWindowStore<String, Bucket>> stores;

    /** @param stores the snapshot store of every granularity the topology keeps */
    public CountryBuckets(final Map<Granularity, ? extends ReadOnlyWindowStore<String, Bucket>> stores) {
        this.stores = Map.copyOf(stores);
    }

    public static String storeKey(final String country, final RollupSnapshot snapshot) {
        return BucketKey.of(country, snapshot.threatType()) + BucketKey.SEPARATOR + snapshot.region();
    }

    @Override
    public NavigableMap<Long, Bucket> fetch(final Granularity granularity, final String key, final long fromStart,
                                            final long toStart) {
        final String prefix = key + BucketKey.SEPARATOR;
        final NavigableMap<Long, Bucket> buckets = new TreeMap<>();
        try (KeyValueIterator<Windowed<String>, Bucket> regions = WindowRanges.fetch(store(granularity),
                prefix, prefix + KEY_RANGE_END, Math.max(0, fromStart), Math.max(0, toStart))) {
            regions.forEachRemaining(entry -> buckets.merge(entry.key.window().start(), entry.value, Bucket::merge));
        }
        return buckets;
    }

    @Override
    public Set<String> keys(final Granularity granularity, final long fromStart, final long toStart) {
        final Set<String> keys = new HashSet<>();
        try (KeyValueIterator<Windowed<String>, Bucket> found = WindowRanges.fetchAll(store(granularity),
                Math.max(0, fromStart), Math.max(0, toStart))) {
            found.forEachRemaining(entry -> {
                final String regionKey = entry.key.key();
                keys.add(regionKey.substring(0, regionKey.lastIndexOf(BucketKey.SEPARATOR)));
            });
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
