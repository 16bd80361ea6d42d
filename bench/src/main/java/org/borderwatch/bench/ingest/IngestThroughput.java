package org.borderwatch.bench.ingest;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.borderwatch.bench.baseline.ProducerPerformanceRun;
import org.borderwatch.bench.pipeline.Pipeline;
import org.borderwatch.bench.process.BenchLogging;
import org.borderwatch.bench.process.ProcessCpu;
import org.borderwatch.bench.suite.BenchSuite;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;

/**
 * Ingest alone, without the rest of {@code ./borderwatch bench}: an embedded broker, the packaged ingest service
 * (no aggregator, no alert service), then the suite's own {@link IngestLoad} single-event and batch runs and,
 * when a publisher is given ({@code ./borderwatch bench ingest}), {@code borderwatch publish} of a file. For
 * profiling the ingest path in a minute or two rather than the suite's half hour; the ingest PID is printed for
 * {@code jcmd <pid> JFR.start}. With {@code producerRecords > 0}, Kafka's ProducerPerformance runs on the same
 * broker right before and right after, with records of the reports' Avro size, and every figure gets its ratio to
 * the mean of the two: the suite's ratios, measured within minutes.
 *
 * <p>{@code java -cp ... org.borderwatch.bench.ingest.IngestThroughput [clients] [warm-up s] [measured s]
 * [producer records]} (64, 5, 20, 0: the full suite's single-event settings; clients 0 skips single events).
 */
public final class IngestThroughput {

    /** What to run; {@code singleClients} 0 skips single events, {@code publishLines} 0 skips publish. */
    public record Settings(int singleClients, Duration warmup, Duration measured, long producerRecords,
                           int publishLines) {
    }

    private static final int BATCH_CLIENTS = 4;
    private static final int BATCH_LINES = 1000;
    private static final long SEED = 42;
    private static final Duration JIT_QUIET_LIMIT = Duration.ofSeconds(20);
    /** Milliseconds of compilation a second that count as idle. */
    private static final long JIT_QUIET_MS = 50;

    private IngestThroughput() {
    }

    public static void main(final String[] args) throws Exception {
        BenchLogging.quietUnlessConfigured();
        run(new Settings(args.length > 0 ? Integer.parseInt(args[0]) : 64,
                Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 5),
                Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 20),
                args.length > 3 ? Long.parseLong(args[3]) : 0, 0), null, System.out);
    }

    /** Runs {@code settings}; {@code publisher} (null: no publish) is {@code borderwatch publish} in this JVM. */
    public static void run(final Settings settings, final BenchSuite.FilePublisher publisher, final PrintStream out)
            throws IOException {
        final Path dir = Files.createDirectories(Path.of("bench/target/ingest-throughput")
                .resolve("run-" + System.currentTimeMillis()).toAbsolutePath());
        final int recordSize = EventLines.averageAvroBytes(10_000, SEED);
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start()) {
            kafka.createTopics();
            BenchSuite.createBenchTopics(kafka.bootstrapServers());
            try (Pipeline pipeline = Pipeline.start(kafka, dir, new Pipeline.Settings(Pipeline.DEFAULT_WINDOWS,
                    Map.of(), Map.of()), 0, 0)) {
                out.printf("ingest PID %d, logs in %s; load average %s%n", pipeline.ingest().pid(), dir,
                        loadAverage());
                // The file first, before anything is measured: generating 200,000 lines leaves this JVM's JIT
                // compilers a backlog of the generator's code for seconds, which fell into the publish phase
                // (perf, December 2026); it is compiled before the first measurement instead.
                final Path file = publisher != null && settings.publishLines() > 0
                        ? publishFile(settings.publishLines(), dir) : null;
                awaitQuietJit();
                final Cpu cpu = new Cpu(pipeline.ingest().pid(), out);
                final double before = producer(kafka, settings, recordSize, dir, out);
                cpu.phase("ProducerPerformance", settings.producerRecords());
                final List<EventLines> pool = EventLines.generate(10_000, Duration.ofMinutes(30), SEED);
                final String key = pipeline.credentials().adminKey();
                final Runs runs = new Runs(out);
                if (settings.singleClients() > 0) {
                    cpu.phase("", 0);
                    runs.add(IngestLoad.single(pipeline.ingestApi(), key, pool, settings.singleClients(),
                            settings.warmup(), settings.measured(), pipeline.ingest().pid()));
                    cpu.phase("single events (warm-up included)", runs.lastEvents(settings));
                }
                cpu.phase("", 0);
                runs.add(IngestLoad.batch(pipeline.ingestApi(), key, pool, BATCH_CLIENTS, BATCH_LINES,
                        settings.warmup(), settings.measured()));
                cpu.phase("batch (warm-up included)", runs.lastEvents(settings));
                if (file != null) {
                    cpu.phase("", 0);
                    runs.publish(publish(file, settings.publishLines(), pipeline, publisher), settings.publishLines());
                    cpu.phase("publish", settings.publishLines());
                }
                final double after = producer(kafka, settings, recordSize, dir, out);
                cpu.phase("ProducerPerformance", settings.producerRecords());
                if (before > 0) {
                    runs.ratios((before + after) / 2);
                }
                out.printf("load average %s%n", loadAverage());
            }
        }
    }

    private static double producer(final EmbeddedKafkaCluster kafka, final Settings settings, final int recordSize,
                                   final Path dir, final PrintStream out) {
        if (settings.producerRecords() <= 0) {
            return 0;
        }
        final ProducerPerformanceRun run = ProducerPerformanceRun.run(kafka.bootstrapServers(),
                BenchSuite.PRODUCER_TOPIC, settings.producerRecords(), recordSize, dir);
        out.printf("ProducerPerformance (%,d records of %d B, acks=all): %,.0f records/s%n", run.records(),
                recordSize, run.recordsPerSecond());
        return run.recordsPerSecond();
    }

    private static Path publishFile(final int lines, final Path dir) throws IOException {
        final Path file = dir.resolve("publish.ndjson");
        final StringBuilder text = new StringBuilder();
        EventLines.generate(lines, Duration.ofMinutes(30), SEED + 7).forEach(line -> text.append(line.line())
                .append('\n'));
        return Files.writeString(file, text);
    }

    private static double publish(final Path file, final int lines, final Pipeline pipeline,
                                  final BenchSuite.FilePublisher publisher) {
        final long start = System.nanoTime();
        final int exit = publisher.publish(file, pipeline.ingest().baseUri().toString(),
                pipeline.credentials().adminKey());
        final double seconds = (System.nanoTime() - start) / 1e9;
        return exit == 0 ? lines / seconds : Double.NaN;
    }

    /** Waits, at most 20 s, until this JVM's JIT compilers were idle for a second. */
    private static void awaitQuietJit() {
        final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        final long deadline = System.nanoTime() + JIT_QUIET_LIMIT.toNanos();
        long compiled = jit.getTotalCompilationTime();
        while (System.nanoTime() < deadline) {
            try {
                Thread.sleep(1000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            final long now = jit.getTotalCompilationTime();
            if (now - compiled < JIT_QUIET_MS) {
                return;
            }
            compiled = now;
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (final IOException e) {
            return "unknown";
        }
    }

    /** The figures so far, each printed as it comes and again with its ratio at the end. */
    private static final class Runs {

        private record Rate(String what, double eventsPerSecond) {
        }

        private final PrintStream out;
        private final List<Rate> rates = new ArrayList<>();

        Runs(final PrintStream out) {
            this.out = out;
        }

        void add(final IngestLoad.Result result) {
            out.printf("%s: %,.0f events/s (accepted %,d, not accepted %,d, failed requests %,d)%n",
                    result.what(), result.eventsPerSecond(), result.accepted(), result.notAccepted(),
                    result.failedRequests());
            if (!Double.isNaN(result.serviceCpuSeconds())) {
                out.printf("  ingest CPU per request over the measured stretch: %.0f us%n",
                        result.serviceCpuMicrosPerEvent());
            }
            rates.add(new Rate(result.what(), result.eventsPerSecond()));
        }

        void publish(final double rate, final int lines) {
            final String what = "borderwatch publish of " + lines + " lines (defaults)";
            out.printf("%s: %,.0f events/s%s%n", what, rate, Double.isNaN(rate) ? " (not every line accepted)" : "");
            rates.add(new Rate(what, rate));
        }

        /** Events of the last load over its warm-up and measured stretch, at its measured rate. */
        long lastEvents(final Settings settings) {
            return Math.round(rates.get(rates.size() - 1).eventsPerSecond()
                    * (settings.warmup().toNanos() + settings.measured().toNanos()) / 1e9);
        }

        void ratios(final double producer) {
            out.printf("ratios to the raw producer (mean of before and after, %,.0f records/s):%n", producer);
            rates.forEach(rate -> out.printf("  %s: %.2fx%n", rate.what(), rate.eventsPerSecond() / producer));
        }
    }

    /**
     * CPU per event of each phase, by process: this JVM (the broker and the load's clients, {@code publish}
     * included), the ingest service, and the child JVMs that ended meanwhile (ProducerPerformance). On a shared
     * machine the rates move with the neighbours; the CPU an event costs much less.
     */
    private static final class Cpu {

        private final long ingest;
        private final PrintStream out;
        private final long self = ProcessHandle.current().pid();
        private double[] last;

        Cpu(final long ingest, final PrintStream out) {
            this.ingest = ingest;
            this.out = out;
            this.last = now();
        }

        private double[] now() {
            return new double[] {ProcessCpu.seconds(self).orElse(0), ProcessCpu.seconds(ingest).orElse(0),
                    ProcessCpu.endedChildrenSeconds(self).orElse(0)};
        }

        /** Prints the CPU since the last call per event of {@code what}; an empty {@code what} only resets. */
        void phase(final String what, final long events) {
            final double[] now = now();
            if (!what.isEmpty() && events > 0) {
                final double broker = (now[0] - last[0]) * 1e6 / events;
                final double service = (now[1] - last[1]) * 1e6 / events;
                final double children = (now[2] - last[2]) * 1e6 / events;
                out.printf("  CPU per event, %s: %.1f us (this JVM: broker and clients %.1f, ingest %.1f, tools"
                        + " %.1f)%n", what, broker + service + children, broker, service, children);
            }
            last = now;
        }
    }
}
