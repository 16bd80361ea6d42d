package org.borderwatch.aggregator.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.borderwatch.aggregator.Reports.at;

import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

import org.borderwatch.aggregator.report.Report;
import org.borderwatch.avro.Confidence;
import org.borderwatch.avro.Severity;
import org.borderwatch.avro.ThreatAggregate;
import org.borderwatch.avro.ThreatType;
import org.junit.jupiter.api.Test;

/** The window sums interactive queries share with the emitting topology. */
class WindowFiguresTest {

    private static final WindowSpec HOUR = WindowSpec.tumbling("PT1H");
    private static final WindowSpec TWO_HOURS_BY_HOUR = WindowSpec.hopping("PT2H", "PT1H");
    private static final String KEY = "TJ-KT|ILLEGAL_CROSSING";

    /** Hourly buckets with 1 report at 10:xx, 2 at 11:xx, 4 at 13:xx. */
    private final InMemoryBuckets buckets = new InMemoryBuckets()
            .with("10:00", 1).with("11:00", 2).with("13:00", 4);

    @Test
    void shouldSumEveryNonEmptyWindowStartingInTheRangeWhenQueried() {
        final WindowFigures figures = new WindowFigures(buckets, List.of(HOUR, TWO_HOURS_BY_HOUR));

        // Starts in [09:30, 13:00]: 10:00, 11:00, 12:00 (empty, left out), 13:00
        assertThat(figures.starting(KEY, TWO_HOURS_BY_HOUR, at("09:30").toEpochMilli(), at("13:00").toEpochMilli()))
                .extracting(ThreatAggregate::getWindowStart, ThreatAggregate::getEventCount)
                .containsExactly(tuple(at("10:00"), 3L), tuple(at("11:00"), 2L), tuple(at("12:00"), 4L),
                        tuple(at("13:00"), 4L));
        assertThat(figures.starting(KEY, HOUR, at("10:00").toEpochMilli(), at("12:59").toEpochMilli()))
                .extracting(ThreatAggregate::getWindowStart, ThreatAggregate::getEventCount)
                .containsExactly(tuple(at("10:00"), 1L), tuple(at("11:00"), 2L));
    }

    @Test
    void shouldGiveTheSameFiguresAsTheEmittedWindowsWhenTheyCoverTheSameStarts() {
        final WindowFigures figures = new WindowFigures(buckets, List.of(TWO_HOURS_BY_HOUR));

        final List<ThreatAggregate> emitted = figures.changed(KEY, DirtyRange.EMPTY
                .including(Granularity.HOURLY, at("11:00").toEpochMilli()));

        assertThat(figures.starting(KEY, TWO_HOURS_BY_HOUR, at("10:00").toEpochMilli(), at("11:00").toEpochMilli()))
                .isEqualTo(emitted);
    }

    /** Buckets in a map, as the stores hold them. */
    private static final class InMemoryBuckets implements BucketSource {

        private final NavigableMap<Long, Bucket> hourly = new TreeMap<>();

        InMemoryBuckets with(final String start, final int reports) {
            final Bucket bucket = new Bucket();
            for (int i = 0; i < reports; i++) {
                bucket.add(new Report(org.borderwatch.aggregator.Reports.nextId(), "agency",
                        at(start).toEpochMilli() + i, "TJ-KT", ThreatType.ILLEGAL_CROSSING, Severity.LOW,
                        Confidence.CONFIRMED, null, 0, new byte[0]));
            }
            hourly.put(at(start).toEpochMilli(), bucket);
            return this;
        }

        @Override
        public NavigableMap<Long, Bucket> fetch(final Granularity granularity, final String key,
                                                final long fromStart, final long toStart) {
            final NavigableMap<Long, Bucket> copy = new TreeMap<>();
            hourly.subMap(fromStart, true, toStart, true).forEach((start, bucket) ->
                    copy.put(start, Bucket.sum(List.of(bucket))));
            return copy;
        }

        @Override
        public Set<String> keys(final Granularity granularity, final long fromStart, final long toStart) {
            return Set.of(KEY);
        }
    }
}
