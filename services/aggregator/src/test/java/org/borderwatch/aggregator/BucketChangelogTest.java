package org.borderwatch.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.borderwatch.aggregator.Reports.incident;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import org.borderwatch.aggregator.config.AggregatorConfig;
import org.borderwatch.aggregator.store.StoreNames;
import org.borderwatch.aggregator.window.Bucket;
import org.borderwatch.avro.BorderIncident;
import org.borderwatch.avro.ThreatType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The region bucket stores keep changes pending between reads (store.BucketStore), and the dedup store keeps counted
 * ids pending until a commit (store.EventIdStore); a commit must still carry every counted report to the changelogs,
 * or a crash would lose it. TopologyTestDriver commits after every input record.
 */
class BucketChangelogTest {

    private static final AggregatorConfig CONFIG = AggregatorConfig.defaults().withApplicationId("changelog-test");

    @TempDir
    Path stateDir;
    AggregatorDriver aggregator;

    @BeforeEach
    void start() {
        aggregator = new AggregatorDriver(CONFIG, stateDir);
    }

    @AfterEach
    void stop() {
        aggregator.close();
    }

    @Test
    void shouldWriteEveryCountedReportToTheBucketChangelogAtEachCommitWhenNoEmitHasRead() {
        // Given three reports in one region and hour, and no punctuation (nothing reads the buckets back)
        aggregator.publish(incident("TJ-KT", ThreatType.ARMED_INCURSION, "10:05"));
        aggregator.publish(incident("TJ-KT", ThreatType.ARMED_INCURSION, "10:20"));
        aggregator.publish(incident("TJ-KT", ThreatType.ARMED_INCURSION, "10:40"));

        // When the commits after each record have run
        final List<Bucket> hourly = aggregator.changelogValues(StoreNames.REGION_HOURLY_STORE,
                Bucket.SERDE.deserializer());
        final List<Bucket> daily = aggregator.changelogValues(StoreNames.REGION_DAILY_STORE,
                Bucket.SERDE.deserializer());

        // Then each changelog's latest record of the bucket holds all three
        assertThat(hourly).isNotEmpty();
        assertThat(hourly.get(hourly.size() - 1).eventCount()).isEqualTo(3);
        assertThat(daily).isNotEmpty();
        assertThat(daily.get(daily.size() - 1).eventCount()).isEqualTo(3);
    }

    @Test
    void shouldWriteEachCountedEventIdOnceToTheDedupChangelogWhenCommitted() {
        // Given two reports, one of them published twice
        final BorderIncident first = incident("TJ-KT", ThreatType.ARMED_INCURSION, "10:05");
        final BorderIncident second = incident("TJ-KT", ThreatType.ARMED_INCURSION, "10:20");
        aggregator.publish(first);
        aggregator.publish(second);
        aggregator.publish(first);

        // When the commits after each record have run
        final List<UUID> logged = new ArrayList<>();
        for (final byte[] batch : aggregator.changelogValues(StoreNames.EVENT_ID_BATCHES_STORE,
                new ByteArrayDeserializer())) {
            final ByteBuffer ids = ByteBuffer.wrap(batch, 1, batch.length - 1);
            while (ids.hasRemaining()) {
                logged.add(new UUID(ids.getLong(), ids.getLong()));
            }
        }

        // Then the dedup changelog holds each counted id once, and nothing went to the store of earlier releases
        assertThat(logged).containsExactly(first.getEventId(), second.getEventId());
        assertThat(aggregator.changelogValues(StoreNames.EVENT_IDS_STORE, new ByteArrayDeserializer())).isEmpty();
    }
}
