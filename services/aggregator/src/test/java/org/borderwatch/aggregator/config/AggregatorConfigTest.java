package org.borderwatch.aggregator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.streams.StreamsConfig;
import org.borderwatch.aggregator.window.Granularity;
import org.borderwatch.aggregator.window.WindowSpec;
import org.junit.jupiter.api.Test;

class AggregatorConfigTest {

    @Test
    void shouldKeepStateLongEnoughWhenDefaultsAreUsed() {
        final AggregatorConfig config = AggregatorConfig.defaults();

        assertThat(config.dedupRetention()).isEqualTo(Duration.ofDays(7).plusHours(6));
        assertThat(config.bucketRetention(Granularity.HOURLY)).isEqualTo(Duration.ofHours(24 + 6 + 1));
        assertThat(config.bucketRetention(Granularity.DAILY)).isEqualTo(Duration.ofDays(8).plusHours(6));
        assertThat(config.rollupRetention(Granularity.DAILY)).isEqualTo(Duration.ofDays(15).plusHours(6));
    }

    @Test
    void shouldKeepMinutelyBucketsForTheLargestMinuteWindowPlusGraceWhenMinuteWindowsAreConfigured() {
        final AggregatorConfig config = AggregatorConfig.defaults().withWindows(List.of(WindowSpec.tumbling("PT1M"),
                WindowSpec.hopping("PT10M", "PT1M"), WindowSpec.tumbling("PT1H")));

        assertThat(config.uses(Granularity.MINUTELY)).isTrue();
        assertThat(AggregatorConfig.defaults().uses(Granularity.MINUTELY)).isFalse();
        assertThat(config.bucketRetention(Granularity.MINUTELY))
                .isEqualTo(Duration.ofMinutes(10).plusHours(6).plusMinutes(1));
    }

    @Test
    void shouldConfigureExactlyOnceNamingAndDeadLettersWhenStreamsPropertiesAreBuilt() {
        assertThat(AggregatorConfig.defaults().streamsProperties())
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true)
                .containsEntry(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "border.deadletter.v1")
                .doesNotContainKey(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG)
                .doesNotContainKey(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG);
    }

    @Test
    void shouldRejectWindowsWhenTwoHaveTheSameSize() {
        assertThatThrownBy(() -> AggregatorConfig.defaults().withWindows(List.of(WindowSpec.tumbling("PT24H"),
                WindowSpec.hopping("P1D", "PT1H")))).hasMessageContaining("sizes must be distinct");
        assertThatThrownBy(() -> AggregatorConfig.defaults().withWindows(List.of()))
                .hasMessageContaining("at least one window");
    }
}
