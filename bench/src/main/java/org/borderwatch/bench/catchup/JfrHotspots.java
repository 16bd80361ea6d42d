package org.borderwatch.bench.catchup;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the aggregator's CPU time went, from a flight recording ({@code settings=profile}): execution samples of
 * threads running Java code, plus native samples whose top frame is RocksDB's JNI (those threads are working, not
 * waiting; JFR samples native code at half the Java rate, so they count twice).
 *
 * <p>Two views of CPU. <em>Self</em>: each sample goes to the first frame from the top that belongs to a known
 * component, so JDK collections count for whoever called them. <em>Inclusive</em>: the share of samples with a given
 * operation anywhere on the stack. And one of idle time: what the stream threads waited for.
 */
public final class JfrHotspots {

    /** Components by class-name prefix, most specific first. */
    private static final Map<String, String> COMPONENTS = new LinkedHashMap<>();
    /** Operations by "class.method" prefix, for the inclusive view. */
    private static final Map<String, String> OPERATIONS = new LinkedHashMap<>();
    /** Events of a thread not running: profile settings record those of 10 ms or more (20 ms for sockets). */
    private static final Set<String> WAITS = Set.of("jdk.ThreadPark", "jdk.JavaMonitorWait", "jdk.JavaMonitorEnter",
            "jdk.SocketRead", "jdk.ThreadSleep");

    static {
        COMPONENTS.put("org.borderwatch.schemas.serde", "Avro encode/decode");
        COMPONENTS.put("org.apache.avro", "Avro encode/decode");
        COMPONENTS.put("org.rocksdb", "RocksDB (JNI)");
        COMPONENTS.put("org.apache.kafka.streams.state.internals.ThreadCache", "record cache");
        COMPONENTS.put("org.apache.kafka.streams.state.internals.NamedCache", "record cache");
        COMPONENTS.put("org.apache.kafka.streams.state.internals.Caching", "record cache");
        COMPONENTS.put("org.apache.kafka.streams.state.internals", "state store layers");
        COMPONENTS.put("org.apache.kafka.streams.processor.internals.metrics", "metrics recording");
        COMPONENTS.put("org.apache.kafka.common.metrics", "metrics recording");
        COMPONENTS.put("org.apache.kafka.clients.producer", "producer");
        COMPONENTS.put("org.apache.kafka.clients.consumer", "consumer");
        COMPONENTS.put("org.apache.kafka.common.record", "record batches");
        COMPONENTS.put("org.apache.kafka.common.compress", "record batches");
        COMPONENTS.put("org.apache.kafka.common.network", "network");
        COMPONENTS.put("org.apache.kafka.clients", "network");
        COMPONENTS.put("org.apache.kafka.common.serialization", "Kafka serializers");
        COMPONENTS.put("org.apache.kafka.streams", "Kafka Streams runtime");
        COMPONENTS.put("org.borderwatch.aggregator", "aggregator's own code");
        COMPONENTS.put("io.micronaut", "Micronaut, Netty, Micrometer");
        COMPONENTS.put("io.netty", "Micronaut, Netty, Micrometer");
        COMPONENTS.put("io.micrometer", "Micronaut, Netty, Micrometer");

        OPERATIONS.put("org.borderwatch.aggregator.region.RegionProcessor.process", "RegionProcessor.process (per report)");
        OPERATIONS.put("org.borderwatch.aggregator.region.RegionProcessor.alreadyCounted", "  of which dedup lookup");
        OPERATIONS.put("org.borderwatch.aggregator.emit.LevelPublisher.flush", "LevelPublisher.flush (punctuation)");
        OPERATIONS.put("org.borderwatch.aggregator.window.WindowFigures.changed", "  of which window sums");
        OPERATIONS.put("org.borderwatch.aggregator.rollup.CountryProcessor.process", "CountryProcessor.process");
        OPERATIONS.put("org.borderwatch.aggregator.report.ReportSerde.deserialize", "ReportSerde.deserialize (decode)");
        OPERATIONS.put("org.apache.kafka.streams.processor.internals.RecordCollectorImpl.send", "RecordCollector.send");
        OPERATIONS.put("org.apache.kafka.streams.processor.internals.TaskExecutor.commitOffsetsOrTransaction",
                "commit (offsets, transaction)");
        OPERATIONS.put("org.apache.kafka.streams.processor.internals.StreamTask.prepareCommit",
                "prepare commit (flush caches and stores)");
        OPERATIONS.put("org.apache.kafka.clients.consumer", "consumer (poll, fetch)");
        OPERATIONS.put("org.rocksdb", "RocksDB");
    }

    private JfrHotspots() {
    }

    public static void print(final Path recording, final PrintStream out) {
        final Map<String, Double> byComponent = new HashMap<>();
        final Map<String, Double> byOperation = new HashMap<>();
        final Map<String, Double> byThread = new HashMap<>();
        final Map<String, Double> byTopFrame = new HashMap<>();
        final Map<String, Double> streamThreadWaits = new HashMap<>();
        double total = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                final RecordedEvent event = file.readEvent();
                final String type = event.getEventType().getName();
                final RecordedStackTrace stack = event.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                if (WAITS.contains(type)) {
                    final String thread = event.getThread() == null ? "" : event.getThread().getJavaName();
                    if (thread.contains("StreamThread")) {
                        streamThreadWaits.merge(waitSite(stack.getFrames()), event.getDuration().toNanos() / 1e9,
                                Double::sum);
                    }
                    continue;
                }
                final double weight;
                if (type.equals("jdk.ExecutionSample")) {
                    weight = 1;
                } else if (type.equals("jdk.NativeMethodSample") && typeName(stack.getFrames().get(0))
                        .startsWith("org.rocksdb")) {
                    weight = 2;
                } else {
                    continue;
                }
                total += weight;
                final List<RecordedFrame> frames = stack.getFrames();
                byTopFrame.merge(method(frames.get(0)), weight, Double::sum);
                byComponent.merge(component(frames), weight, Double::sum);
                final String thread = event.getThread("sampledThread") == null ? "?"
                        : event.getThread("sampledThread").getJavaName();
                byThread.merge(threadGroup(thread), weight, Double::sum);
                OPERATIONS.forEach((prefix, operation) -> {
                    if (frames.stream().anyMatch(frame -> method(frame).startsWith(prefix))) {
                        byOperation.merge(operation, weight, Double::sum);
                    }
                });
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read the flight recording " + recording, e);
        }
        final double samples = total;
        out.printf("%nWhere the aggregator's CPU time went (JFR, %,.0f samples, %s)%n", samples, recording);
        table(out, "by component (self time)", byComponent, samples, 20);
        out.println("  by operation (inclusive)");
        OPERATIONS.values().stream().distinct().forEach(operation -> out.printf("    %5.1f %%  %s%n",
                100 * byOperation.getOrDefault(operation, 0.0) / samples, operation));
        table(out, "by thread", byThread, samples, 8);
        table(out, "hottest methods (self time)", byTopFrame, samples, 20);
        out.println("  where the stream threads waited (park, monitor, socket; seconds summed over threads)");
        streamThreadWaits.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())).limit(8)
                .forEach(entry -> out.printf("    %6.1f s  %s%n", entry.getValue(), entry.getKey()));
    }

    private static void table(final PrintStream out, final String title, final Map<String, Double> counts,
                              final double total, final int limit) {
        out.println("  " + title);
        counts.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
                .limit(limit)
                .forEach(entry -> out.printf("    %5.1f %%  %s%n", 100 * entry.getValue() / total, entry.getKey()));
    }

    /** The first Kafka or borderwatch method below the waiting JDK frames: what the thread was waiting for. */
    private static String waitSite(final List<RecordedFrame> frames) {
        return frames.stream().map(JfrHotspots::method)
                .filter(method -> method.startsWith("org.apache.kafka") || method.startsWith("org.borderwatch"))
                .findFirst().orElse(method(frames.get(0)));
    }

    private static String component(final List<RecordedFrame> frames) {
        for (final RecordedFrame frame : frames) {
            final String type = typeName(frame);
            for (final Map.Entry<String, String> component : COMPONENTS.entrySet()) {
                if (type.startsWith(component.getKey())) {
                    return component.getValue();
                }
            }
        }
        return "JDK only (" + method(frames.get(0)) + ")";
    }

    /** {@code app-…-StreamThread-2} → {@code StreamThread}: one line per kind of thread. */
    private static String threadGroup(final String thread) {
        if (thread.contains("StreamThread") && thread.endsWith("-producer")) {
            return "producer network thread";
        }
        if (thread.contains("StreamThread")) {
            return "StreamThread (processing)";
        }
        return thread.replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>")
                .replaceAll("\\d+", "N");
    }

    private static String typeName(final RecordedFrame frame) {
        return frame.getMethod() == null ? "?" : frame.getMethod().getType().getName();
    }

    private static String method(final RecordedFrame frame) {
        return frame.getMethod() == null ? "?" : typeName(frame) + "." + frame.getMethod().getName();
    }
}
