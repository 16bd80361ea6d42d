package org.borderwatch.aggregator.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.borderwatch.aggregator.Reports.at;

import java.time.Instant;

import org.borderwatch.aggregator.config.AggregatorConfig;
import org.junit.jupiter.api.Test;

class WindowSpecTest {

    private static final WindowSpec HOUR = WindowSpec.tumbling("PT1H");
    private static final WindowSpec DAY_BY_HOUR = WindowSpec.hopping("PT24H", "PT1H");
    private static final WindowSpec WEEK_BY_DAY = WindowSpec.hopping("P7D", "P1D");

    @Test
    void shouldPickTheTrailingWindowThatEndsFirstWhenAskedForTheCurrentWindow() {
        assertThat(start(HOUR, "14:20")).isEqualTo(at("14:00"));
        assertThat(start(DAY_BY_HOUR, "14:20")).isEqualTo(Instant.parse("2026-03-01T15:00:00Z"));
        assertThat(start(WEEK_BY_DAY, "01:00")).isEqualTo(Instant.parse("2026-02-24T00:00:00Z"));
        assertThat(start(HOUR, "15:00")).as("a window includes its start").isEqualTo(at("15:00"));
    }

    @Test
    void shouldListEveryStartWhoseWindowContainsTheTimeWhenWindowsHop() {
        final long time = at("14:20").toEpochMilli();

        assertThat(Instant.ofEpochMilli(DAY_BY_HOUR.firstStartContaining(time)))
                .isEqualTo(Instant.parse("2026-03-01T15:00:00Z"));
        assertThat(Instant.ofEpochMilli(DAY_BY_HOUR.lastStartContaining(time))).isEqualTo(at("14:00"));
    }

    @Test
    void shouldSumFromDailyBucketsWhenSizeAndAdvanceAreWholeDays() {
        assertThat(WEEK_BY_DAY.granularity()).isEqualTo(Granularity.DAILY);
        assertThat(DAY_BY_HOUR.granularity()).isEqualTo(Granularity.HOURLY);
        assertThat(WindowSpec.tumbling("P1D").granularity()).isEqualTo(Granularity.DAILY);
    }

    @Test
    void shouldSumFromMinutelyBucketsOnlyWhenSizeOrAdvanceIsNotWholeHours() {
        assertThat(WindowSpec.tumbling("PT1M").granularity()).isEqualTo(Granularity.MINUTELY);
        assertThat(WindowSpec.tumbling("PT30M").granularity()).isEqualTo(Granularity.MINUTELY);
        assertThat(WindowSpec.hopping("PT10M", "PT1M").granularity()).isEqualTo(Granularity.MINUTELY);
        assertThat(WindowSpec.hopping("PT2H", "PT30M").granularity()).isEqualTo(Granularity.MINUTELY);
        assertThat(WindowSpec.tumbling("PT60M").granularity()).isEqualTo(Granularity.HOURLY);
        assertThat(Instant.ofEpochMilli(WindowSpec.hopping("PT10M", "PT1M").currentStart(at("14:20:30")
                .toEpochMilli()))).isEqualTo(at("14:11"));
    }

    @Test
    void shouldRejectWindowWhenItIsNotWholeMinutesOrAdvancesFurtherThanItsSize() {
        // Whole hours were required before minutely buckets existed; now whole minutes are (PT30M is valid).
        assertThatThrownBy(() -> WindowSpec.tumbling("PT90S")).hasMessageContaining("whole minutes");
        assertThatThrownBy(() -> WindowSpec.hopping("PT10M", "PT30S")).hasMessageContaining("whole minutes");
        assertThatThrownBy(() -> WindowSpec.hopping("PT1H", "PT2H")).hasMessageContaining("larger than the size");
        assertThatThrownBy(() -> WindowSpec.tumbling("one hour")).hasMessageContaining("ISO-8601");
    }

    @Test
    void shouldFindConfiguredWindowBySizeWhenRuleSpellsItDifferently() {
        assertThat(WindowSpec.find(AggregatorConfig.DEFAULT_WINDOWS, "P1D")).contains(DAY_BY_HOUR);
        assertThat(WindowSpec.find(AggregatorConfig.DEFAULT_WINDOWS, "PT6H")).isEmpty();
        assertThat(WindowSpec.find(AggregatorConfig.DEFAULT_WINDOWS, "soon")).isEmpty();
    }

    private static Instant start(final WindowSpec window, final String time) {
        return Instant.ofEpochMilli(window.currentStart(at(time).toEpochMilli()));
    }
}
