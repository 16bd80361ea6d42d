package org.borderwatch.bench.catchup;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

import org.borderwatch.bench.process.ChildJvm;

/**
 * Kafka's own {@code org.apache.kafka.tools.ConsumerPerformance} on the same topics, in its own JVM (like the
 * aggregator, so both pay for a JVM of their own and share the cores with the broker the same way). It reads bytes
 * and decodes nothing: the ceiling any consumer on this machine can reach.
 *
 * @param messagesPerSecond      messages / wall time from subscribe to the last message, group join included
 * @param fetchMessagesPerSecond messages / (wall time - group join time)
 */
public record ConsumerPerformanceRun(long messages, double seconds, double messagesPerSecond,
                                     double fetchMessagesPerSecond, long joinMs, OptionalLong peakHeap,
                                     OptionalLong peakRss) {

    private static final String MAIN_CLASS = "org.apache.kafka.tools.ConsumerPerformance";
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    /**
     * Runs the tool until it has read {@code messages} from the topics matching {@code topicRegex}, from the
     * beginning, in a fresh group; returns its summary line. Its stderr and GC log go to {@code dir}.
     */
    public static ConsumerPerformanceRun run(final String bootstrapServers, final String topicRegex,
                                             final long messages, final Path dir) {
        final ChildJvm.Ended ended;
        try (ChildJvm tool = ChildJvm.start("consumer-performance", "512m", MAIN_CLASS, List.of(
                "--bootstrap-server", bootstrapServers, "--include", topicRegex, "--messages", Long.toString(messages),
                "--group", "borderwatch-bench-perf-" + UUID.randomUUID(), "--timeout", "60000"), dir, line -> { })) {
            ended = tool.await(TIMEOUT);
        }
        final String output = String.join("\n", ended.output());
        if (ended.exitCode() != 0) {
            throw new IllegalStateException(MAIN_CLASS + " failed (see " + dir + "): " + output);
        }
        return parse(output, ended.peakHeap(), ended.peakRss());
    }

    /**
     * The summary line: {@code start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,
     * rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec}.
     */
    static ConsumerPerformanceRun parse(final String output, final OptionalLong peakHeap, final OptionalLong peakRss) {
        final List<String> lines = output.lines().filter(line -> !line.isBlank()).toList();
        if (lines.size() < 2 || output.contains("WARNING: Exiting before consuming")) {
            throw new IllegalStateException("ConsumerPerformance did not read every message: " + output);
        }
        final String[] fields = lines.get(lines.size() - 1).split(",\\s*");
        final long messages = Long.parseLong(fields[4]);
        final long joinMs = Long.parseLong(fields[6]);
        final long fetchMs = Long.parseLong(fields[7]);
        return new ConsumerPerformanceRun(messages, (joinMs + fetchMs) / 1000.0, Double.parseDouble(fields[5]),
                Double.parseDouble(fields[9]), joinMs, peakHeap, peakRss);
    }
}
