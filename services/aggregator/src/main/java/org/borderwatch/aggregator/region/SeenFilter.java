package org.borderwatch.aggregator.region;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An in-memory Bloom filter of the eventIds in the dedup store, in front of it: "never seen" (almost every report)
 * is answered without a store lookup; "maybe seen" falls through to the store, which decides. It never answers "not
 * seen" for an id that was added, so it cannot let a duplicate through; a false positive costs one store lookup.
 *
 * <p>Ids are grouped in generations by their store timestamp (occurredAt, one generation per day), so whole
 * generations are dropped once the store has expired them. A generation grows by adding filters as it fills, so the
 * memory follows the volume (about 1.2 bytes per id at a 1% false-positive rate per filter). Built from the store
 * when the processor is initialised (after restore, and whenever Kafka Streams re-initialises the task), then
 * updated with every id the processor stores.
 */
final class SeenFilter {

    private static final long GENERATION_MS = 24L * 60 * 60 * 1000;
    private static final int FILTER_CAPACITY = 1 << 17;
    /** 2^20 bits for 2^17 ids: 8 bits per id, 5 probes: about 2% false positives when full. */
    private static final int FILTER_BITS_LOG2 = 20;
    private static final int PROBES = 5;

    private final TreeMap<Long, List<Filter>> generations = new TreeMap<>();

    void add(final String id, final long timestamp) {
        add(hash(id), timestamp);
    }

    /** Adds an id by its {@link #hash}, computed once for the lookup and the add. */
    void add(final long hash, final long timestamp) {
        final List<Filter> filters = generations.computeIfAbsent(Math.floorDiv(timestamp, GENERATION_MS),
                generation -> new ArrayList<>(1));
        Filter last = filters.isEmpty() ? null : filters.get(filters.size() - 1);
        if (last == null || last.count >= FILTER_CAPACITY) {
            last = new Filter();
            filters.add(last);
        }
        last.add(hash);
    }

    /** False only if {@code id} was never added (or only in generations dropped since). */
    boolean mightContain(final String id) {
        return mightContain(hash(id));
    }

    boolean mightContain(final long hash) {
        for (final List<Filter> filters : generations.values()) {
            for (final Filter filter : filters) {
                if (filter.mightContain(hash)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Drops the generations that lie entirely before {@code timestamp}. */
    void expireBefore(final long timestamp) {
        final Iterator<Map.Entry<Long, List<Filter>>> it = generations.headMap(
                Math.floorDiv(timestamp, GENERATION_MS), false).entrySet().iterator();
        while (it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    int generations() {
        return generations.size();
    }

    /** 64-bit hash of the id's characters (FNV-1a, then a splitmix64 finaliser). */
    static long hash(final String id) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            h ^= id.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    private static final class Filter {

        private final long[] words = new long[1 << (FILTER_BITS_LOG2 - 6)];
        private int count;

        void add(final long hash) {
            final int h1 = (int) hash;
            final int h2 = (int) (hash >>> 32) | 1;
            for (int i = 0; i < PROBES; i++) {
                final int bit = (h1 + i * h2) & ((1 << FILTER_BITS_LOG2) - 1);
                words[bit >>> 6] |= 1L << bit;
            }
            count++;
        }

        boolean mightContain(final long hash) {
            final int h1 = (int) hash;
            final int h2 = (int) (hash >>> 32) | 1;
            for (int i = 0; i < PROBES; i++) {
                final int bit = (h1 + i * h2) & ((1 << FILTER_BITS_LOG2) - 1);
                if ((words[bit >>> 6] & (1L << bit)) == 0) {
                    return false;
                }
            }
            return true;
        }
    }
}
