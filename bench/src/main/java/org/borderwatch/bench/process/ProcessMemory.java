package org.borderwatch.bench.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Resident memory of a process from {@code /proc/<pid>/status} (Linux): {@code VmRSS} now and {@code VmHWM}, the
 * kernel's own high-water mark of the resident set since the process started (so no sample can miss the peak).
 */
public final class ProcessMemory {

    private ProcessMemory() {
    }

    /** Current resident set in bytes; empty once the process is gone. */
    public static OptionalLong rss(final long pid) {
        return field(pid, "VmRSS:");
    }

    /** Peak resident set in bytes; empty once the process is gone. */
    public static OptionalLong peakRss(final long pid) {
        return field(pid, "VmHWM:");
    }

    private static OptionalLong field(final long pid, final String name) {
        try {
            for (final String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(name)) {
                    // "VmHWM:    412345 kB"
                    final String[] parts = line.substring(name.length()).strip().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                }
            }
            return OptionalLong.empty();
        } catch (final IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
