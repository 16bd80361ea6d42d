package org.borderwatch.bench.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;

/**
 * CPU time a process has used, user plus system, from {@code /proc/<pid>/stat} (Linux): over an interval, CPU
 * seconds divided by wall seconds is the number of cores it kept busy.
 */
public final class ProcessCpu {

    /** {@code USER_HZ}: the unit of utime and stime; 100 on every Linux architecture Java runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessCpu() {
    }

    /** CPU seconds used so far; empty once the process is gone. */
    public static OptionalDouble seconds(final long pid) {
        return ticks(pid, 11);
    }

    /**
     * CPU seconds of the process's children that ended and were waited for (a tool run as a child JVM, once its
     * {@code Process} has ended), so that a child's whole CPU is known after it is gone.
     */
    public static OptionalDouble endedChildrenSeconds(final long pid) {
        return ticks(pid, 13);
    }

    /** The sum of the two fields of {@code /proc/<pid>/stat} at {@code index} (counted after the command). */
    private static OptionalDouble ticks(final long pid, final int index) {
        try {
            final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) is in parentheses and may contain spaces: count fields after it.
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            final long user = Long.parseLong(fields[index]);
            final long system = Long.parseLong(fields[index + 1]);
            return OptionalDouble.of((user + system) / TICKS_PER_SECOND);
        } catch (final IOException | RuntimeException e) {
            return OptionalDouble.empty();
        }
    }
}
