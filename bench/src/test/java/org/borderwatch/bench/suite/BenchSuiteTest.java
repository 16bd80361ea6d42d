package org.borderwatch.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class BenchSuiteTest {

    @Test
    void shouldLeaveAPercentileOutWhenItFallsAmongLostProbes() {
        // 70 probes arrived (1..70 ms), 30 never did: p50 is the 50th arrival, p95 and p99 are among the lost.
        final double[] arrived = IntStream.rangeClosed(1, 70).asDoubleStream().toArray();

        final double[] all = BenchSuite.withLost(arrived, 30);

        assertThat(all).hasSize(100);
        assertThat(BenchSuite.percentile(all, 50)).isEqualTo(50);
        assertThat(BenchSuite.percentile(all, 95)).isNaN();
        assertThat(BenchSuite.percentile(all, 99)).isNaN();
        assertThat(BenchSuite.percentile(BenchSuite.withLost(arrived, 0), 99)).isEqualTo(70);
    }
}
