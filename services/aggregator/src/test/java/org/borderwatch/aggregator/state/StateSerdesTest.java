package org.borderwatch.aggregator.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.borderwatch.aggregator.Reports.seizure;

import org.apache.kafka.common.errors.SerializationException;
import org.borderwatch.aggregator.report.Report;
import org.borderwatch.aggregator.rollup.RollupSnapshot;
import org.borderwatch.aggregator.rules.BreachState;
import org.borderwatch.aggregator.window.Bucket;
import org.borderwatch.aggregator.window.DirtyRange;
import org.borderwatch.aggregator.window.Granularity;
import org.borderwatch.avro.DrugType;
import org.borderwatch.avro.Metric;
import org.borderwatch.avro.Severity;
import org.borderwatch.avro.ThreatType;
import org.junit.jupiter.api.Test;

/** The internal state formats: what a changelog holds must read back the same. */
class StateSerdesTest {

    @Test
    void shouldReadBackEveryFigureWhenBucketIsEncoded() {
        final Bucket bucket = new Bucket();
        bucket.add(Report.of(seizure("TJ-KT", "10:05", DrugType.HEROIN, 12.5, "a"), new byte[0]));
        bucket.add(Report.of(seizure("TJ-KT", "10:07", DrugType.OPIUM, 1.5, "b"), new byte[0]));

        final Bucket read = Bucket.SERDE.deserialize(null, Bucket.SERDE.serialize(null, bucket));

        assertThat(read.toAggregate("TJ-KT", ThreatType.DRUG_TRAFFICKING, org.borderwatch.aggregator.window
                .WindowSpec.tumbling("PT1H"), 0)).isEqualTo(bucket.toAggregate("TJ-KT", ThreatType.DRUG_TRAFFICKING,
                org.borderwatch.aggregator.window.WindowSpec.tumbling("PT1H"), 0));
    }

    @Test
    void shouldReadBackEqualRecordsWhenStatesAreEncoded() {
        final BreachState state = new BreachState("r|TJ-KT|OTHER", "r", "rule r", "TJ-KT", ThreatType.OTHER,
                Metric.SEVERITY_SCORE, "PT24H", 2.5, true, 1, Severity.HIGH, 1_000, 3);
        final DirtyRange range = DirtyRange.EMPTY.including(Granularity.HOURLY, 3_600_000);

        assertThat(BreachState.SERDE.deserialize(null, BreachState.SERDE.serialize(null, state))).isEqualTo(state);
        assertThat(DirtyRange.SERDE.deserialize(null, DirtyRange.SERDE.serialize(null, range))).isEqualTo(range);
        final RollupSnapshot snapshot = new RollupSnapshot("TJ", "TJ-KT", ThreatType.OTHER, Granularity.DAILY, 0,
                new Bucket());
        final RollupSnapshot read = RollupSnapshot.SERDE.deserialize(null,
                RollupSnapshot.SERDE.serialize(null, snapshot));
        assertThat(read.region()).isEqualTo("TJ-KT");
        assertThat(read.granularity()).isEqualTo(Granularity.DAILY);
        assertThat(read.bucket().isEmpty()).isTrue();
    }

    @Test
    void shouldWriteDirtyRangeAsEarlierReleasesDidUnlessItHasMinutelyBounds() {
        final DirtyRange hourly = DirtyRange.EMPTY.including(Granularity.HOURLY, 3_600_000)
                .including(Granularity.DAILY, 0);
        final DirtyRange minutely = hourly.including(Granularity.MINUTELY, 3_660_000);

        final byte[] v1 = DirtyRange.SERDE.serialize(null, hourly);
        assertThat(v1).hasSize(1 + 4 * 8);
        assertThat(v1[0]).isEqualTo((byte) 1);
        assertThat(DirtyRange.SERDE.deserialize(null, v1)).isEqualTo(hourly);
        final byte[] v2 = DirtyRange.SERDE.serialize(null, minutely);
        assertThat(v2[0]).isEqualTo((byte) 2);
        assertThat(DirtyRange.SERDE.deserialize(null, v2)).isEqualTo(minutely);
        assertThat(DirtyRange.SERDE.deserialize(null, v2).to(Granularity.MINUTELY)).isEqualTo(3_660_000);
    }

    @Test
    void shouldRefuseStateWhenANewerReleaseWroteIt() {
        final byte[] fromTheFuture = DirtyRange.SERDE.serialize(null, DirtyRange.EMPTY);
        fromTheFuture[0] = 3; // DirtyRange reads versions 1 (hourly, daily) and 2 (with minutely bounds)

        assertThatThrownBy(() -> DirtyRange.SERDE.deserialize(null, fromTheFuture))
                .isInstanceOf(SerializationException.class).hasMessageContaining("newer aggregator release");
    }
}
