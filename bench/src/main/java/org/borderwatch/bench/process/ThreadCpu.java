package org.borderwatch.bench.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * CPU time per thread of a process, from {@code /proc/<pid>/task/<tid>/stat} (Linux): unlike a Java profiler it
 * also sees the JVM's own threads (garbage collector, JIT compilers). Java thread names come from
 * {@code jcmd Thread.print} (its {@code nid} is the Linux thread id); the JVM's threads keep their Linux name.
 */
public final class ThreadCpu {

    private static final double TICKS_PER_SECOND = 100.0;
    /** {@code "name" #21 daemon prio=5 os_prio=0 cpu=... elapsed=... tid=0x... nid=0x4d2 runnable}. */
    private static final Pattern THREAD = Pattern.compile("^\"(.*)\" .*nid=0x([0-9a-f]+)", Pattern.MULTILINE);

    private ThreadCpu() {
    }

    /** CPU seconds by Linux thread id, for the threads alive now. */
    public static Map<Long, Double> snapshot(final long pid) {
        final Map<Long, Double> seconds = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            tasks.forEach(task -> {
                try {
                    final String stat = Files.readString(task.resolve("stat"));
                    final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    seconds.put(Long.parseLong(task.getFileName().toString()),
                            (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND);
                } catch (final IOException | RuntimeException e) {
                    // The thread ended between listing and reading: it has no time to report.
                }
            });
        } catch (final IOException e) {
            return Map.of();
        }
        return seconds;
    }

    /**
     * CPU seconds between two snapshots, by kind of thread (stream threads, producer I/O threads, GC, JIT, ...),
     * largest first.
     */
    public static Map<String, Double> byKind(final long pid, final Map<Long, Double> before,
                                             final Map<Long, Double> after) {
        final Map<Long, String> names = names(pid);
        final Map<String, Double> byKind = new TreeMap<>();
        after.forEach((tid, seconds) -> byKind.merge(kind(names.getOrDefault(tid, linuxName(pid, tid))),
                seconds - before.getOrDefault(tid, 0.0), Double::sum));
        return byKind;
    }

    static String kind(final String name) {
        if (name.contains("StreamThread") && name.endsWith("-producer")) {
            return "Streams producer I/O threads";
        }
        if (name.contains("GlobalStreamThread")) {
            return "global stream thread (rules)";
        }
        if (name.contains("StreamThread")) {
            return "stream threads (processing)";
        }
        if (name.contains("StateUpdater")) {
            return "state updater (restoration)";
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
            return "garbage collector";
        }
        if (name.contains("CompilerThre")) {
            return "JIT compilers";
        }
        if (name.startsWith("kafka-")) {
            return "other Kafka client threads";
        }
        return "other (" + name.replaceAll("\\d+", "N") + ")";
    }

    private static Map<Long, String> names(final long pid) {
        final Map<Long, String> names = new HashMap<>();
        try {
            final Matcher matcher = THREAD.matcher(Jcmd.run(pid, "Thread.print"));
            while (matcher.find()) {
                names.put(Long.parseLong(matcher.group(2), 16), matcher.group(1));
            }
        } catch (final RuntimeException e) {
            // Without jcmd the Linux names still tell the JVM's threads apart.
        }
        return names;
    }

    private static String linuxName(final long pid, final long tid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "task", Long.toString(tid), "comm")).strip();
        } catch (final IOException e) {
            return "?";
        }
    }
}
