package org.borderwatch.aggregator.store;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The eventIds the region stage has counted, for dedup: an exact set in memory, answered without a store access,
 * and in a logged key-value store as batches, one record per commit and day of occurredAt instead of one per event.
 *
 * <p>Before, every counted report put its eventId into a RocksDB window store and sent a changelog record: the
 * largest per-event cost of the stage (see the aggregator README, Decisions). Here a report's id goes into the
 * in-memory set and a pending list; the pending ids reach the store (record cache, RocksDB, changelog) when Kafka
 * Streams flushes the caches before every commit, packed {@value #IDS_PER_RECORD} to a record, so what a commit covers
 * is in the changelog of its transaction. After a restore, or whenever Kafka Streams re-initialises the task (a crash
 * under exactly-once drops the uncommitted state), the processor calls {@link #load}, which rebuilds the set from the
 * store: it never holds an id whose report was not committed, so a report processed again after a crash is not taken
 * for its own duplicate.
 *
 * <p>Key: {@code day << 32 | sequence} (day of occurredAt since the epoch, a per-day sequence), so a day's batches
 * are one key range and expire together ({@link #expireBefore}). Value: a format version byte (1), then 16 bytes per
 * id (most, then least significant half). Memory: 24 to 32 bytes per remembered id in the set.
 *
 * <p>Like {@link BucketStore}, a {@link PendingWritesStore}: Kafka Streams calls {@link #flushCache} before it
 * commits.
 */
public final class EventIdStore extends PendingWritesStore<KeyValueStore<Long, byte[]>, Long, byte[]> {

    static final long DAY_MS = 24L * 60 * 60 * 1000;
    static final int IDS_PER_RECORD = 4096;
    private static final byte FORMAT = 1;

    /** Every remembered id, by day of occurredAt. */
    private final TreeMap<Long, IdSet> days = new TreeMap<>();
    /** Ids added since the last flush, by day. */
    private final TreeMap<Long, List<UUID>> pending = new TreeMap<>();
    /** The next batch sequence number per day. */
    private final Map<Long, Integer> nextSequence = new HashMap<>();

    EventIdStore(final KeyValueStore<Long, byte[]> store) {
        super(store);
    }

    /** A persistent, logged key-value store of id batches, wrapped; no record cache (every key is written once). */
    public static StoreBuilder<EventIdStore> builder(final String name) {
        return new WrappingBuilder<>(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.Long(),
                Serdes.ByteArray()).withCachingDisabled(), EventIdStore::new);
    }

    /**
     * Rebuilds the in-memory set from the store; the processor calls it from its {@code init}, i.e. after every
     * restore and re-initialisation, before it asks {@link #seen}.
     */
    public void load() {
        days.clear();
        pending.clear();
        nextSequence.clear();
        try (KeyValueIterator<Long, byte[]> all = store.all()) {
            while (all.hasNext()) {
                final KeyValue<Long, byte[]> batch = all.next();
                final long day = batch.key >>> 32;
                nextSequence.merge(day, (int) (batch.key & 0xFFFFFFFFL) + 1, Math::max);
                final IdSet ids = days.computeIfAbsent(day, ignored -> new IdSet());
                final ByteBuffer value = ByteBuffer.wrap(batch.value);
                if (value.get() != FORMAT) {
                    throw new IllegalStateException("event-id batch " + batch.key + " has format " + batch.value[0]
                            + "; this release reads format " + FORMAT);
                }
                while (value.remaining() >= 16) {
                    ids.add(value.getLong(), value.getLong());
                }
            }
        }
    }

    /**
     * Remembers an id already committed elsewhere (the window store of earlier releases): in memory only, as the
     * batches of {@link #load}.
     */
    public void addCommitted(final UUID id, final long occurredAt) {
        days.computeIfAbsent(day(occurredAt), ignored -> new IdSet()).add(id);
    }

    /** Whether {@code id} was counted (and not yet expired). Exact: no false positives, no store access. */
    public boolean seen(final UUID id) {
        for (final IdSet ids : days.values()) {
            if (ids.contains(id)) {
                return true;
            }
        }
        return false;
    }

    /** Remembers a counted report's id; it reaches the store and the changelog before the next commit. */
    public void add(final UUID id, final long occurredAt) {
        final long day = day(occurredAt);
        if (days.computeIfAbsent(day, ignored -> new IdSet()).add(id)) {
            pending.computeIfAbsent(day, ignored -> new ArrayList<>()).add(id);
        }
    }

    /** Forgets the days that end before {@code time}, in memory and in the store (tombstones in the changelog). */
    public void expireBefore(final long time) {
        final long firstKept = Math.floorDiv(time, DAY_MS);
        if (days.isEmpty() || days.firstKey() >= firstKept) {
            return;
        }
        days.headMap(firstKept).clear();
        pending.headMap(firstKept).clear();
        nextSequence.keySet().removeIf(day -> day < firstKept);
        if (firstKept <= 0) {
            return;
        }
        final List<Long> expired = new ArrayList<>();
        try (KeyValueIterator<Long, byte[]> old = store.range(0L, (firstKept << 32) - 1)) {
            old.forEachRemaining(batch -> expired.add(batch.key));
        }
        expired.forEach(store::delete);
    }

    /** Remembered ids, for tests and metrics. */
    public long size() {
        return days.values().stream().mapToLong(IdSet::size).sum();
    }

    /** Days before 1970 share day 0: keys stay non-negative, so the store's byte order is day order. */
    private static long day(final long occurredAt) {
        return Math.max(0, Math.floorDiv(occurredAt, DAY_MS));
    }

    @Override
    void writePending() {
        if (pending.isEmpty()) {
            return;
        }
        pending.forEach((day, ids) -> {
            for (int from = 0; from < ids.size(); from += IDS_PER_RECORD) {
                final List<UUID> chunk = ids.subList(from, Math.min(ids.size(), from + IDS_PER_RECORD));
                final ByteBuffer value = ByteBuffer.allocate(1 + 16 * chunk.size()).put(FORMAT);
                for (final UUID id : chunk) {
                    value.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
                }
                final int sequence = nextSequence.merge(day, 1, Integer::sum) - 1;
                store.put(day << 32 | (sequence & 0xFFFFFFFFL), value.array());
            }
        });
        pending.clear();
    }

    @Override
    public void init(final StateStoreContext context, final StateStore root) {
        days.clear();
        nextSequence.clear();
        super.init(context, root);
    }

    @Override
    void dropPending() {
        pending.clear();
    }

    @Override
    public void close() {
        days.clear();
        super.close();
    }
}
