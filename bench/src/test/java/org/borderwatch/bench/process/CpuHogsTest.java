package org.borderwatch.bench.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hogs end by themselves at their limit, and refuse a count outside 1 to 64. */
class CpuHogsTest {

    @Test
    void spinsUntilItsLimitThenEnds() throws InterruptedException {
        final long start = System.nanoTime();
        CpuHogs.main(new String[] {"2", "1"});
        final double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(seconds).isBetween(0.9, 30.0);
    }

    @Test
    void refusesACountOutsideOneToSixtyFour(@TempDir final Path dir) {
        assertThatThrownBy(() -> CpuHogs.start(0, Duration.ofSeconds(1), dir))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CpuHogs.start(65, Duration.ofSeconds(1), dir))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
