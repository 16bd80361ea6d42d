package org.borderwatch.bench.latency;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void shouldTakeNearestRankWhenPercentileOfSortedLatencies() {
        final double[] hundred = IntStream.rangeClosed(1, 100).asDoubleStream().toArray();
        final double[] three = {10, 20, 30};

        assertThat(Percentiles.of(hundred, 50)).isEqualTo(50);
        assertThat(Percentiles.of(hundred, 99)).isEqualTo(99);
        assertThat(Percentiles.of(hundred, 100)).isEqualTo(100);
        assertThat(Percentiles.of(three, 50)).isEqualTo(20);
        assertThat(Percentiles.of(three, 99)).as("never below the largest share").isEqualTo(30);
        assertThat(Percentiles.of(new double[0], 50)).isNaN();
    }
}
