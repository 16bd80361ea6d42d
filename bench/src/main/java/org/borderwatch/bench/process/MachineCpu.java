package org.borderwatch.bench.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole machine's CPU time from the first line of {@code /proc/stat}: over an interval, busy seconds include
 * every other process on the box, which a benchmark on a shared machine must report next to its own figures.
 */
public final class MachineCpu {

    private static final double TICKS_PER_SECOND = 100.0;

    /** Busy (not idle, not waiting for I/O) and total CPU seconds since boot, summed over cores. */
    public record Times(double busy, double total) {
    }

    private MachineCpu() {
    }

    public static Times now() {
        try {
            final String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).split("\\s+");
            // cpu user nice system idle iowait irq softirq steal ...
            double total = 0;
            for (int i = 1; i < Math.min(fields.length, 9); i++) {
                total += Long.parseLong(fields[i]);
            }
            final double idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
            return new Times((total - idle) / TICKS_PER_SECOND, total / TICKS_PER_SECOND);
        } catch (final IOException | RuntimeException e) {
            return new Times(0, 0);
        }
    }
}
