package org.borderwatch.bench.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heap figures of the aggregator JVM from two independent sources.
 * <ul>
 *   <li>Its GC log ({@code -Xlog:gc:file=...}): every collection logs {@code before->after(committed)}; the largest
 *       "before" is the peak of used heap, since used heap only grows between collections.</li>
 *   <li>Its {@code /prometheus} endpoint: {@code jvm_memory_used_bytes{area="heap"}} summed over the pools, a
 *       sample at the moment of the scrape.</li>
 * </ul>
 */
public final class HeapFigures {

    /** {@code GC(12) Pause Young (Normal) (G1 Evacuation Pause) 120M->31M(512M) 4.321ms}. */
    private static final Pattern COLLECTION = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");
    private static final Pattern HEAP_USED = Pattern.compile(
            "^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*}\\s+(\\S+)", Pattern.MULTILINE);
    private static final Pattern COUNTER = Pattern.compile("^(\\w+)(\\{[^}]*})?\\s+(\\S+)", Pattern.MULTILINE);

    private HeapFigures() {
    }

    /** JVM options that make {@link #peakFromGcLog} work. */
    public static String gcLogOption(final Path file) {
        return "-Xlog:gc:file=" + file.toAbsolutePath();
    }

    /** Largest used heap right before a collection, in bytes; empty if the log holds no collection. */
    public static OptionalLong peakFromGcLog(final Path file) {
        return scanGcLog(file, 1);
    }

    /** Largest committed heap seen in the GC log, in bytes. */
    public static OptionalLong committedFromGcLog(final Path file) {
        return scanGcLog(file, 5);
    }

    /** Sum of {@code jvm_memory_used_bytes{area="heap"}} in a Prometheus scrape. */
    public static OptionalLong heapUsed(final String prometheus) {
        final Matcher matcher = HEAP_USED.matcher(prometheus);
        double sum = 0;
        boolean found = false;
        while (matcher.find()) {
            sum += Double.parseDouble(matcher.group(1));
            found = true;
        }
        return found ? OptionalLong.of((long) sum) : OptionalLong.empty();
    }

    /** The value of a label-less (or any-label, summed) metric in a Prometheus scrape. */
    public static OptionalDouble metric(final String prometheus, final String name) {
        final Matcher matcher = COUNTER.matcher(prometheus);
        double sum = 0;
        boolean found = false;
        while (matcher.find()) {
            if (matcher.group(1).equals(name)) {
                sum += Double.parseDouble(matcher.group(3));
                found = true;
            }
        }
        return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }

    private static OptionalLong scanGcLog(final Path file, final int group) {
        if (!Files.exists(file)) {
            return OptionalLong.empty();
        }
        try {
            long max = -1;
            for (final String line : Files.readAllLines(file)) {
                final Matcher matcher = COLLECTION.matcher(line);
                if (matcher.find()) {
                    max = Math.max(max, bytes(matcher.group(group), matcher.group(group + 1)));
                }
            }
            return max < 0 ? OptionalLong.empty() : OptionalLong.of(max);
        } catch (final IOException e) {
            return OptionalLong.empty();
        }
    }

    private static long bytes(final String amount, final String unit) {
        final long value = Long.parseLong(amount);
        return switch (unit) {
            case "K" -> value << 10;
            case "M" -> value << 20;
            default -> value << 30;
        };
    }
}
