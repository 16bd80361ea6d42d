package org.borderwatch.aggregator.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dedup store: exact answers from memory, ids in the store only once Kafka Streams flushes before a commit, and
 * after a re-initialisation exactly the committed ids.
 */
class EventIdStoreTest {

    private static final long DAY = EventIdStore.DAY_MS;
    private static final long MONDAY = 20_000 * DAY;

    private KeyValueStore<Long, byte[]> batches;
    private EventIdStore ids;

    @BeforeEach
    void open() {
        batches = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("event-id-batches"), Serdes.Long(),
                Serdes.ByteArray()).withLoggingDisabled().build();
        final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        batches.init(context.getStateStoreContext(), batches);
        ids = new EventIdStore(batches);
        ids.load();
    }

    @AfterEach
    void close() {
        batches.close();
    }

    @Test
    void shouldAnswerExactlyForAddedIdsWhenManyAreRemembered() {
        final List<UUID> added = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            final UUID id = new UUID(0xB0BDE4L, i);
            added.add(id);
            ids.add(id, MONDAY + (i % 3) * DAY);
        }

        assertThat(added).allMatch(ids::seen);
        for (int i = 50_000; i < 150_000; i++) {
            assertThat(ids.seen(new UUID(0xB0BDE4L, i))).isFalse();
        }
        assertThat(ids.seen(new UUID(0, 0))).isFalse();
        ids.add(new UUID(0, 0), MONDAY);
        assertThat(ids.seen(new UUID(0, 0))).isTrue();
        assertThat(ids.size()).isEqualTo(50_001);
    }

    @Test
    void shouldWriteIdsInBatchesPerDayOnlyWhenKafkaStreamsFlushesBeforeACommit() {
        final UUID a = UUID.randomUUID();
        final UUID b = UUID.randomUUID();
        final UUID c = UUID.randomUUID();
        ids.add(a, MONDAY + 5);
        ids.add(b, MONDAY + 7);
        ids.add(c, MONDAY + DAY);
        ids.add(a, MONDAY + 5);

        assertThat(stored()).isEmpty();
        ids.flushCache();

        assertThat(stored()).containsExactly(
                KeyValue.pair(20_000L << 32, List.of(a, b)),
                KeyValue.pair(20_001L << 32, List.of(c)));
        ids.add(UUID.randomUUID(), MONDAY + 9);
        ids.flushCache();
        assertThat(stored()).extracting(entry -> entry.key)
                .containsExactly(20_000L << 32, 20_000L << 32 | 1, 20_001L << 32);
    }

    @Test
    void shouldSplitAFlushIntoRecordsOfAtMostTheBatchSizeWhenManyIdsArePending() {
        for (int i = 0; i < EventIdStore.IDS_PER_RECORD * 2 + 1; i++) {
            ids.add(new UUID(7, i), MONDAY);
        }

        ids.flushCache();

        assertThat(stored()).extracting(entry -> entry.value.size())
                .containsExactly(EventIdStore.IDS_PER_RECORD, EventIdStore.IDS_PER_RECORD, 1);
    }

    @Test
    void shouldRememberOnlyCommittedIdsWhenReloadedAfterADirtyClose() {
        final UUID committed = UUID.randomUUID();
        final UUID uncommitted = UUID.randomUUID();
        ids.add(committed, MONDAY);
        ids.flushCache();
        ids.add(uncommitted, MONDAY);

        // A crash under exactly-once: Kafka Streams drops the caches, restores, and the processor reloads.
        ids.clearCache();
        ids.load();

        assertThat(ids.seen(committed)).isTrue();
        assertThat(ids.seen(uncommitted)).isFalse();
        ids.add(UUID.randomUUID(), MONDAY);
        ids.flushCache();
        assertThat(stored()).extracting(entry -> entry.key).containsExactly(20_000L << 32, 20_000L << 32 | 1);
    }

    @Test
    void shouldForgetWholeDaysInMemoryAndInTheStoreWhenTheyExpire() {
        final UUID sunday = UUID.randomUUID();
        final UUID monday = UUID.randomUUID();
        final UUID earlier = UUID.randomUUID();
        ids.add(sunday, MONDAY - 1);
        ids.add(monday, MONDAY);
        ids.flushCache();
        ids.addCommitted(earlier, MONDAY - DAY);

        ids.expireBefore(MONDAY + 10);

        assertThat(ids.seen(sunday)).isFalse();
        assertThat(ids.seen(earlier)).isFalse();
        assertThat(ids.seen(monday)).isTrue();
        assertThat(stored()).extracting(entry -> entry.key).containsExactly(20_000L << 32);
    }

    /** The store's records, each value decoded to its ids. */
    private List<KeyValue<Long, List<UUID>>> stored() {
        final List<KeyValue<Long, List<UUID>>> stored = new ArrayList<>();
        try (KeyValueIterator<Long, byte[]> all = batches.all()) {
            all.forEachRemaining(entry -> {
                final ByteBuffer value = ByteBuffer.wrap(entry.value);
                assertThat(value.get()).as("format").isEqualTo((byte) 1);
                final List<UUID> decoded = new ArrayList<>();
                while (value.hasRemaining()) {
                    decoded.add(new UUID(value.getLong(), value.getLong()));
                }
                stored.add(KeyValue.pair(entry.key, decoded));
            });
        }
        return stored;
    }
}
