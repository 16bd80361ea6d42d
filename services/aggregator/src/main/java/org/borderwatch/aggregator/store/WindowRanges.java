package org.borderwatch.aggregator.store;

import java.time.Instant;

import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Range reads of a window store by epoch milliseconds. {@link ReadOnlyWindowStore}'s {@link Instant} methods (the
 * only ones interactive queries offer) build the error message of a bad argument on every call, before checking it:
 * Kafka Streams' {@code ApiUtils.prepareMillisCheckFailMsgPrefix} runs {@code String.format} with
 * {@code Instant.toString()} for each bound. In a 1,000,000-event catch-up that was 1 % of the aggregator's samples,
 * and the formatter's code was compiled by C2 during the catch-up (JFR, 7 December 2026). A store a processor holds
 * is a {@link WindowStore}, whose {@code long} methods do no such thing; a {@link BucketStore} passes its
 * {@code Instant} methods on to those; any other store (an interactive query's) gets the {@code Instant} call.
 */
public final class WindowRanges {

    private WindowRanges() {
    }

    public static <V> WindowStoreIterator<V> fetch(final ReadOnlyWindowStore<String, V> store, final String key,
                                                   final long from, final long to) {
        if (store instanceof WindowStore<String, V> windowStore) {
            return windowStore.fetch(key, from, to);
        }
        return store.fetch(key, Instant.ofEpochMilli(from), Instant.ofEpochMilli(to));
    }

    public static <V> KeyValueIterator<Windowed<String>, V> fetch(final ReadOnlyWindowStore<String, V> store,
                                                                  final String keyFrom, final String keyTo,
                                                                  final long from, final long to) {
        if (store instanceof WindowStore<String, V> windowStore) {
            return windowStore.fetch(keyFrom, keyTo, from, to);
        }
        return store.fetch(keyFrom, keyTo, Instant.ofEpochMilli(from), Instant.ofEpochMilli(to));
    }

    public static <V> KeyValueIterator<Windowed<String>, V> fetchAll(final ReadOnlyWindowStore<String, V> store,
                                                                     final long from, final long to) {
        if (store instanceof WindowStore<String, V> windowStore) {
            return windowStore.fetchAll(from, to);
        }
        return store.fetchAll(Instant.ofEpochMilli(from), Instant.ofEpochMilli(to));
    }
}
