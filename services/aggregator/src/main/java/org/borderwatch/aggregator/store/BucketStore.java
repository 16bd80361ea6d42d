package org.borderwatch.aggregator.store;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.borderwatch.aggregator.window.Bucket;
import org.borderwatch.schemas.Topics;

/**
 * A region bucket store that takes the processor's changes as objects and hands them to Kafka Streams' window store
 * (record cache, RocksDB, changelog) in bulk: before the processor reads buckets back ({@link #writePending}), and
 * when Kafka Streams flushes the record caches before every commit. So a busy bucket is serialized and put into the
 * record cache once per read or commit instead of once per report, and exactly-once holds: what a commit covers is in
 * the store and its changelog when the transaction commits. A crash loses only the pending changes of uncommitted
 * reports, which are processed again.
 *
 * <p>{@link #flushCache} (see {@link PendingWritesStore}) writes the pending changes, then flushes the wrapped store's
 * cache, which sends them to the changelog in the transaction: without that flush, a SIGKILL lost up to seconds of
 * counted reports.
 *
 * <p>The wrapped store is the same window store as before (name, serdes, retention, changelog), so the state of a
 * running aggregator needs no migration. Kafka Streams hands a store of a type it does not know to the processor as
 * is ({@code ProcessorContext#getStateStore}), and to interactive queries as a {@link ReadOnlyWindowStore}; queries
 * read the wrapped store: the buckets as of the last commit or emit (at most a commit interval behind), never the
 * pending map, which only the stream thread touches. Its {@code Instant} reads go to the wrapped store's
 * {@code long} ones, which do not format their arguments on every call ({@link WindowRanges}).
 */
public final class BucketStore extends PendingWritesStore<WindowStore<String, Bucket>, String, Bucket>
        implements ReadOnlyWindowStore<String, Bucket> {

    /** Changed buckets not yet in the store, by key and bucket start. */
    private final Map<String, NavigableMap<Long, Bucket>> pending = new HashMap<>();

    private BucketStore(final WindowStore<String, Bucket> store) {
        super(store);
    }

    /** The builder of a bucket store: a persistent window store of buckets with the record cache, wrapped. */
    public static StoreBuilder<BucketStore> builder(final String name, final Duration retention,
                                                    final Duration bucketSize) {
        return new WrappingBuilder<>(Stores.windowStoreBuilder(Stores.persistentWindowStore(name, retention, bucketSize,
                false), Topics.KEY, Bucket.SERDE).withCachingEnabled(), BucketStore::new);
    }

    /** Records a changed bucket; it reaches the store at the next {@link #writePending}, flush or commit. */
    public void put(final String key, final Bucket bucket, final long start) {
        pending.computeIfAbsent(key, ignored -> new TreeMap<>()).put(start, bucket);
    }

    /** The bucket of {@code key} at {@code start}: the pending change if there is one, else the store's. */
    public Bucket get(final String key, final long start) {
        final NavigableMap<Long, Bucket> changed = pending.get(key);
        final Bucket bucket = changed == null ? null : changed.get(start);
        return bucket != null ? bucket : store.fetch(key, start);
    }

    /** Puts every pending change into the store; the stream thread calls it before it reads buckets in bulk. */
    @Override
    public void writePending() {
        if (pending.isEmpty()) {
            return;
        }
        pending.forEach((key, buckets) -> buckets.forEach((start, bucket) -> store.put(key, bucket, start)));
        pending.clear();
    }

    @Override
    void dropPending() {
        pending.clear();
    }

    @Override
    public Bucket fetch(final String key, final long time) {
        return store.fetch(key, time);
    }

    @Override
    public WindowStoreIterator<Bucket> fetch(final String key, final Instant timeFrom, final Instant timeTo) {
        return store.fetch(key, timeFrom.toEpochMilli(), timeTo.toEpochMilli());
    }

    @Override
    public WindowStoreIterator<Bucket> backwardFetch(final String key, final Instant timeFrom, final Instant timeTo) {
        return store.backwardFetch(key, timeFrom.toEpochMilli(), timeTo.toEpochMilli());
    }

    @Override
    public KeyValueIterator<Windowed<String>, Bucket> fetch(final String keyFrom, final String keyTo,
                                                            final Instant timeFrom, final Instant timeTo) {
        return store.fetch(keyFrom, keyTo, timeFrom.toEpochMilli(), timeTo.toEpochMilli());
    }

    @Override
    public KeyValueIterator<Windowed<String>, Bucket> backwardFetch(final String keyFrom, final String keyTo,
                                                                    final Instant timeFrom, final Instant timeTo) {
        return store.backwardFetch(keyFrom, keyTo, timeFrom.toEpochMilli(), timeTo.toEpochMilli());
    }

    @Override
    public KeyValueIterator<Windowed<String>, Bucket> all() {
        return store.all();
    }

    @Override
    public KeyValueIterator<Windowed<String>, Bucket> backwardAll() {
        return store.backwardAll();
    }

    @Override
    public KeyValueIterator<Windowed<String>, Bucket> fetchAll(final Instant timeFrom, final Instant timeTo) {
        return store.fetchAll(timeFrom.toEpochMilli(), timeTo.toEpochMilli());
    }

    @Override
    public KeyValueIterator<Windowed<String>, Bucket> backwardFetchAll(final Instant timeFrom, final Instant timeTo) {
        return store.backwardFetchAll(timeFrom.toEpochMilli(), timeTo.toEpochMilli());
    }
}
