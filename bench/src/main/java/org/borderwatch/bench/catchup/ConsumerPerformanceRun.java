package org.borderwatch.bench.catchup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Kafka's own {@code org.apache.kafka.tools.ConsumerPerformance} on the same topics, in its own JVM (like the
 * aggregator, so both pay for a JVM of their own and share the cores with the broker the same way). It reads bytes
 * and decodes nothing: the ceiling any consumer on this machine can reach.
 *
 * @param messagesPerSecond      messages / wall time from subscribe to the last message, group join included
 * @param fetchMessagesPerSecond messages / (wall time - group join time)
 */
public record ConsumerPerformanceRun(long messages, double seconds, double messagesPerSecond,
                                     double fetchMessagesPerSecond, long joinMs) {

    private static final String MAIN_CLASS = "org.apache.kafka.tools.ConsumerPerformance";
    private static final long TIMEOUT_SECONDS = 600;

    /**
     * Runs the tool until it has read {@code messages} from the topics matching {@code topicRegex}, from the
     * beginning, in a fresh group; returns its summary line.
     */
    public static ConsumerPerformanceRun run(final String bootstrapServers, final String topicRegex,
                                             final long messages, final Path log) {
        final List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), MAIN_CLASS,
                "--bootstrap-server", bootstrapServers, "--include", topicRegex, "--messages", Long.toString(messages),
                "--group", "borderwatch-bench-perf-" + UUID.randomUUID(), "--timeout", "60000");
        final Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot start " + MAIN_CLASS, e);
        }
        try {
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(MAIN_CLASS + " failed (see " + log + "): " + output);
            }
            return parse(output);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read the output of " + MAIN_CLASS, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + MAIN_CLASS + " ran", e);
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * The summary line: {@code start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,
     * rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec}.
     */
    static ConsumerPerformanceRun parse(final String output) {
        final List<String> lines = output.lines().filter(line -> !line.isBlank()).toList();
        if (lines.size() < 2 || output.contains("WARNING: Exiting before consuming")) {
            throw new IllegalStateException("ConsumerPerformance did not read every message: " + output);
        }
        final String[] fields = lines.get(lines.size() - 1).split(",\\s*");
        final long messages = Long.parseLong(fields[4]);
        final long joinMs = Long.parseLong(fields[6]);
        final long fetchMs = Long.parseLong(fields[7]);
        return new ConsumerPerformanceRun(messages, (joinMs + fetchMs) / 1000.0, Double.parseDouble(fields[5]),
                Double.parseDouble(fields[9]), joinMs);
    }
}
