package org.borderwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class AlertLatencyBenchmarkTest {

    @Test
    void shouldTakeNearestRankWhenPercentileOfSortedLatencies() {
        final double[] hundred = IntStream.rangeClosed(1, 100).asDoubleStream().toArray();
        final double[] three = {10, 20, 30};

        assertThat(AlertLatencyBenchmark.percentile(hundred, 50)).isEqualTo(50);
        assertThat(AlertLatencyBenchmark.percentile(hundred, 99)).isEqualTo(99);
        assertThat(AlertLatencyBenchmark.percentile(hundred, 100)).isEqualTo(100);
        assertThat(AlertLatencyBenchmark.percentile(three, 50)).isEqualTo(20);
        assertThat(AlertLatencyBenchmark.percentile(three, 99)).as("never below the largest share").isEqualTo(30);
        assertThat(AlertLatencyBenchmark.percentile(new double[0], 50)).isNaN();
    }
}
