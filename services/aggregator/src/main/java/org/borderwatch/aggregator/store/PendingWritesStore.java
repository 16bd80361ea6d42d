package org.borderwatch.aggregator.store;

import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A Kafka Streams store wrapped so that the processor's changes wait in memory and reach the store (record cache,
 * RocksDB, changelog) in bulk: whenever Kafka Streams flushes the caches before a commit ({@link #flushCache}), so
 * what a commit covers is in the changelog of its transaction, and on flush and commit. Pending changes are dropped
 * whenever Kafka Streams drops uncommitted state: a store (re-)initialised, its caches cleared for a restore, a close
 * without a commit (a crash, a task closed dirty); the reports behind them are processed again.
 *
 * <p>Kafka Streams flushes caches before a commit only in stores that are a {@link CachedStateStore} (its own caching
 * layers are; {@code StateStore#flush} and {@code commit} run after the transaction committed, too late under
 * exactly-once). So this store is one. {@code CachedStateStore} is an internal interface of Kafka Streams (4.3);
 * chaos scenario 1 (SIGKILLs, every aggregate recomputed) fails if this contract changes.
 */
abstract class PendingWritesStore<S extends StateStore, K, V> implements StateStore, CachedStateStore<K, V> {

    final S store;

    PendingWritesStore(final S store) {
        this.store = store;
    }

    /** Writes every pending change into the wrapped store. */
    abstract void writePending();

    /** Forgets every pending change: it was never committed. */
    abstract void dropPending();

    @Override
    public String name() {
        return store.name();
    }

    @Override
    public void init(final StateStoreContext context, final StateStore root) {
        dropPending();
        store.init(context, root);
    }

    @Override
    @SuppressWarnings("deprecation")
    public void flush() {
        writePending();
        store.flush();
    }

    @Override
    public void commit(final Map<TopicPartition, Long> changelogOffsets) {
        writePending();
        store.commit(changelogOffsets);
    }

    /** Kafka Streams calls this before every commit: the pending changes go into the transaction. */
    @Override
    public void flushCache() {
        writePending();
        if (store instanceof CachedStateStore<?, ?> cached) {
            cached.flushCache();
        }
    }

    /** Kafka Streams drops the caches of a task it must restore (a corrupted task under exactly-once): pending too. */
    @Override
    public void clearCache() {
        dropPending();
        if (store instanceof CachedStateStore<?, ?> cached) {
            cached.clearCache();
        }
    }

    /** The wrapped store's layers (metered, caching, logging) pass the cache calls down. */
    @Override
    @SuppressWarnings("unchecked")
    public boolean setFlushListener(final CacheFlushListener<K, V> listener, final boolean sendOldValues) {
        return store instanceof CachedStateStore<?, ?> cached
                && ((CachedStateStore<K, V>) cached).setFlushListener(listener, sendOldValues);
    }

    @Override
    public boolean managesOffsets() {
        return store.managesOffsets();
    }

    @Override
    public Long committedOffset(final TopicPartition partition) {
        return store.committedOffset(partition);
    }

    /** A close without a commit first (a crash, a task closed dirty) drops what was not committed. */
    @Override
    public void close() {
        dropPending();
        store.close();
    }

    @Override
    public boolean persistent() {
        return store.persistent();
    }

    @Override
    public boolean isOpen() {
        return store.isOpen();
    }

    @Override
    public <R> QueryResult<R> query(final Query<R> query, final PositionBound positionBound,
                                    final QueryConfig config) {
        return store.query(query, positionBound, config);
    }

    @Override
    public Position getPosition() {
        return store.getPosition();
    }
}
