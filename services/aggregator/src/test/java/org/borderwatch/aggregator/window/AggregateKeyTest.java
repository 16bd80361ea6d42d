package org.borderwatch.aggregator.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class AggregateKeyTest {

    @Test
    void shouldPrintEveryInstantExactlyAsInstantToStringWhenFormattingWindowStarts() {
        // Given whole hours, whole seconds, odd milliseconds and the edges of the fast path
        final SplittableRandom random = new SplittableRandom(20261206);
        final long[] edges = {0, 999, 1000, -1000, -1, 253_402_300_799_000L, 253_402_300_800_000L,
                Instant.parse("2026-03-02T10:00:00Z").toEpochMilli(),
                Instant.parse("2000-02-29T23:59:59Z").toEpochMilli()};
        for (final long edge : edges) {
            assertThat(AggregateKey.instant(edge)).isEqualTo(Instant.ofEpochMilli(edge).toString());
        }
        for (int i = 0; i < 100_000; i++) {
            final long any = random.nextLong(-10_000_000_000_000L, 300_000_000_000_000L);
            final long wholeSecond = any / 1000 * 1000;
            final long wholeHour = any / 3_600_000 * 3_600_000;

            // Then each is exactly what Instant prints
            assertThat(AggregateKey.instant(any)).isEqualTo(Instant.ofEpochMilli(any).toString());
            assertThat(AggregateKey.instant(wholeSecond)).isEqualTo(Instant.ofEpochMilli(wholeSecond).toString());
            assertThat(AggregateKey.instant(wholeHour)).isEqualTo(Instant.ofEpochMilli(wholeHour).toString());
        }
    }
}
