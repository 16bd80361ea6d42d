package org.borderwatch.bench.baseline;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.borderwatch.bench.process.ChildJvm;

/**
 * Kafka's own {@code org.apache.kafka.tools.ProducerPerformance} ({@code kafka-producer-perf-test}) in a JVM of
 * its own: {@code records} records of {@code recordSize} bytes (the size of the benchmark's Avro reports), unthrottled,
 * {@code acks=all} as the ingest service sends, to a topic with as many partitions as the input topics. The ceiling
 * of any producer on this machine, against which ingest and {@code borderwatch publish} are measured.
 *
 * @param timeline records/s of each one-second report of the tool
 */
public record ProducerPerformanceRun(long records, int recordSize, double recordsPerSecond, double avgLatencyMs,
                                     double maxLatencyMs, List<Double> timeline, OptionalLong peakHeap,
                                     OptionalLong peakRss) {

    private static final String MAIN_CLASS = "org.apache.kafka.tools.ProducerPerformance";
    /** {@code 2000000 records sent, 252525.3 records/sec (45.67 MB/sec), 30.1 ms avg latency, 600.0 ms max latency}. */
    private static final Pattern LINE = Pattern.compile(
            "(\\d+) records sent, ([\\d.]+) records/sec \\([\\d.]+ MB/sec\\), ([\\d.]+) ms avg latency, ([\\d.]+) ms max"
                    + " latency(.*)");
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    public static ProducerPerformanceRun run(final String bootstrapServers, final String topic, final long records,
                                             final int recordSize, final Path dir) {
        final List<String> progress = new CopyOnWriteArrayList<>();
        final ChildJvm.Ended ended;
        try (ChildJvm tool = ChildJvm.start("producer-performance", "512m", MAIN_CLASS, List.of(
                "--bootstrap-server", bootstrapServers, "--topic", topic, "--num-records", Long.toString(records),
                "--record-size", Integer.toString(recordSize), "--throughput", "-1", "--reporting-interval", "1000",
                "--command-property", "acks=all", "enable.idempotence=true", "client.id=borderwatch-bench-perf"),
                dir, progress::add)) {
            ended = tool.await(TIMEOUT);
        }
        if (ended.exitCode() != 0) {
            throw new IllegalStateException(MAIN_CLASS + " failed (see " + dir + "): " + ended.output());
        }
        return parse(ended.output(), recordSize, ended.peakHeap(), ended.peakRss());
    }

    /** The last line is the summary (it adds percentiles); every line before it is one reporting interval. */
    static ProducerPerformanceRun parse(final List<String> output, final int recordSize, final OptionalLong peakHeap,
                                        final OptionalLong peakRss) {
        final List<Matcher> lines = output.stream().map(LINE::matcher).filter(Matcher::find).toList();
        if (lines.isEmpty()) {
            throw new IllegalStateException("ProducerPerformance printed no summary: " + output);
        }
        final Matcher summary = lines.get(lines.size() - 1);
        final List<Double> timeline = lines.subList(0, lines.size() - 1).stream()
                .map(line -> Double.parseDouble(line.group(2))).toList();
        return new ProducerPerformanceRun(Long.parseLong(summary.group(1)), recordSize,
                Double.parseDouble(summary.group(2)), Double.parseDouble(summary.group(3)),
                Double.parseDouble(summary.group(4)), timeline, peakHeap, peakRss);
    }
}
