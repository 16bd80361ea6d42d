package org.borderwatch.bench.suite;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.borderwatch.bench.AlertLatencyBenchmark;
import org.borderwatch.bench.baseline.BaselineRun;
import org.borderwatch.bench.baseline.SingleWindowApp;
import org.borderwatch.bench.baseline.ThreeWindowApp;
import org.borderwatch.bench.baseline.ProducerPerformanceRun;
import org.borderwatch.bench.catchup.Backlog;
import org.borderwatch.bench.catchup.CatchUpRun;
import org.borderwatch.bench.catchup.ConsumerPerformanceRun;
import org.borderwatch.bench.fanout.FanOut;
import org.borderwatch.bench.ingest.EventLines;
import org.borderwatch.bench.ingest.IngestLoad;
import org.borderwatch.bench.kafka.ClusterOffsets;
import org.borderwatch.bench.latency.AlertProbes;
import org.borderwatch.bench.latency.LatencyRun;
import org.borderwatch.bench.latency.Percentiles;
import org.borderwatch.bench.pipeline.Pipeline;
import org.borderwatch.bench.process.AggregatorLauncher;
import org.borderwatch.bench.process.ProcessMemory;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.borderwatch.launcher.ServiceProcess;
import org.borderwatch.schemas.Topics;

/**
 * Every figure of {@code borderwatch bench} in one run on one embedded broker (127.0.0.1, a temporary data
 * directory), so that each ratio compares measurements taken minutes apart on the same machine:
 * <ol>
 *   <li>Kafka's ProducerPerformance and ConsumerPerformance, records of the reports' Avro size (after the backlog
 *       is published, on a warm broker);</li>
 *   <li>aggregation catch-up over the backlog: the aggregator service and the two textbook apps
 *       ({@code SingleWindowApp}, {@code ThreeWindowApp});</li>
 *   <li>on the whole pipeline (ingest, aggregator, alert service as child processes): alert latency under
 *       background load, fan-out to many SSE subscribers; then, with the aggregator and alert services stopped,
 *       ingest throughput through the batch endpoint, single events from 64 clients, and
 *       {@code borderwatch publish} of a file;</li>
 *   <li>peak heap and RSS of every process.</li>
 * </ol>
 * Every child process is ended by its handle; the broker last.
 */
public final class BenchSuite {

    public static final String PRODUCER_TOPIC = "bench.producer-performance";
    private static final String INPUT_TOPICS = "border\\.(incidents|seizures)\\.v1";
    private static final String HEAP = "512m";
    /** How long a part waits for the pipeline's aggregator to finish the previous part's input. */
    private static final Duration CAUGHT_UP_TIMEOUT = Duration.ofMinutes(5);
    /** Fan-out alerts before the measured ones, not counted. */
    private static final int FAN_OUT_WARMUP = 2;
    /**
     * Single events' warm-up, as in a service that has run a while: the batch part before it leaves the request path
     * of one event per request cold, and on 2 cores the service's JIT compilers still took a quarter of its CPU 40 s
     * into a single-event load (the figure rose from 0.8 k/s after a 10 s warm-up to 1.4 k/s after 40 s, same client).
     */
    private static final Duration SINGLE_WARMUP = Duration.ofSeconds(30);
    /** SIGTERM, then SIGKILL after this long: the pipeline's consumers before the ingest parts. */
    private static final Duration SERVICE_STOP = Duration.ofSeconds(15);

    /** {@code borderwatch publish FILE} against the pipeline's ingest API: the CLI, called in this JVM. */
    @FunctionalInterface
    public interface FilePublisher {
        /** @return the command's exit code */
        int publish(Path file, String ingestUrl, String apiKey);
    }

    /** How big each part is: {@link #full} by default, {@link #quick} for CI. */
    public record Settings(boolean quick, long backlog, long producerRecords, Duration ingestWarmup,
                           Duration ingestMeasured, int batchClients, int batchLines, int singleClients,
                           Duration singleWarmup, int poolLines, int publishLines, int latencyAlerts, int latencyWarmup, int latencyRate,
                           Duration latencyLoad, int subscribers, int fanOutProbes, long seed) {

        public static Settings full(final long seed) {
            return new Settings(false, 1_000_000, 1_000_000, Duration.ofSeconds(5), Duration.ofSeconds(20), 4, 1000,
                    64, SINGLE_WARMUP, 100_000, 200_000, 100, 10, 5000, Duration.ofSeconds(10), 10_000, 10, seed);
        }

        /** The same run over a backlog of {@code records} (a full run that must fit a shorter time). */
        public Settings withBacklog(final long records) {
            return new Settings(quick, records, producerRecords, ingestWarmup, ingestMeasured, batchClients,
                    batchLines, singleClients, singleWarmup, poolLines, publishLines, latencyAlerts, latencyWarmup, latencyRate,
                    latencyLoad, subscribers, fanOutProbes, seed);
        }

        /**
         * CI size. The latency probes run under 1,000 reports/s, not 5,000: the probes must arrive for the run to
         * show the part works, and on this 2-core box at load 30 (other benchmarks beside it) the pipeline's
         * aggregator got a third of a core and fell behind 5,000/s, so every probe waited past its 15 s.
         */
        public static Settings quick(final long seed) {
            return new Settings(true, 20_000, 100_000, Duration.ofSeconds(2), Duration.ofSeconds(5), 4, 1000, 64,
                    Duration.ofSeconds(2), 10_000, 5_000, 10, 2, 1000, Duration.ofSeconds(3), 200, 3, seed);
        }
    }

    private BenchSuite() {
    }

    public static BenchResult run(final Settings settings, final Path out, final FilePublisher publisher,
                                  final PrintStream log) throws IOException {
        final Path runDir = Files.createDirectories(out.resolve("logs"));
        final List<Figure> figures = new ArrayList<>();
        final Map<String, List<Double>> timelines = new LinkedHashMap<>();
        final List<String> notes = new ArrayList<>();
        final String loadBefore = loadAverage();
        final Instant started = Instant.now();
        final Map<Path, String> builds = AlertLatencyBenchmark.builds();
        final int recordSize = EventLines.averageAvroBytes(10_000, settings.seed());
        final double[] latencies;
        final double[] fanOut;
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start()) {
            kafka.createTopics();
            final String bootstrap = kafka.bootstrapServers();
            createBenchTopics(bootstrap);

            log.printf("[bench] backlog: %,d reports%n", settings.backlog());
            final Backlog backlog = Backlog.publish(bootstrap, settings.backlog(), Duration.ofDays(2), 0.01,
                    settings.seed());
            // After the backlog: a broker that has just started runs ProducerPerformance at half the rate it does
            // once its JIT has compiled the produce path (117,592 against 271,887 records/s in two runs ten
            // minutes apart), and the services are measured against a broker that has run a while.
            log.printf("[bench] raw Kafka: ProducerPerformance, %,d records of %d B%n", settings.producerRecords(),
                    recordSize);
            final ProducerPerformanceRun producer = ProducerPerformanceRun.run(bootstrap, PRODUCER_TOPIC,
                    settings.producerRecords(), recordSize, runDir);
            timelines.put("ProducerPerformance", producer.timeline());
            log.println("[bench] raw Kafka: ConsumerPerformance on the backlog");
            final ConsumerPerformanceRun consumer = ConsumerPerformanceRun.run(bootstrap, INPUT_TOPICS,
                    settings.backlog(), runDir);
            figures.add(Figure.of("producer.raw", "Kafka", "ProducerPerformance (acks=all, " + recordSize + " B)",
                    producer.recordsPerSecond(), "records/s"));
            figures.add(Figure.of("consumer.raw", "Kafka", "ConsumerPerformance (group join included)",
                    consumer.messagesPerSecond(), "records/s"));

            // The textbook single-window app runs right before and right after the aggregator, and the aggregator is
            // compared with the mean of the two: whichever exactly-once app runs first loses by it, most likely to a
            // broker whose JIT has not compiled its transaction paths yet (7 December: the aggregator run first came
            // out at 0.86-0.96x the app run after it; the app made 99,162 events/s before the aggregator and 120,737
            // after it in one run).
            log.println("[bench] catch-up: textbook single-window app (before the aggregator)");
            final BaselineRun singleBefore = BaselineRun.run(SingleWindowApp.class, bootstrap, runDir,
                    settings.backlog(), HEAP);
            log.println("[bench] catch-up: the aggregator service");
            final CatchUpRun.Result aggregator = CatchUpRun.run(bootstrap, AggregatorLauncher.of(
                    AggregatorLauncher.defaultHome(), runDir), runDir, settings.backlog(), HEAP, Map.of(), false);
            log.println("[bench] catch-up: textbook single-window app (after the aggregator)");
            final BaselineRun single = BaselineRun.run(SingleWindowApp.class, bootstrap, runDir, settings.backlog(),
                    HEAP);
            final double singleRate = (singleBefore.progress().catchUpRate() + single.progress().catchUpRate()) / 2;
            log.println("[bench] catch-up: textbook dedup + three-window app");
            final BaselineRun three = BaselineRun.run(ThreeWindowApp.class, bootstrap, runDir, settings.backlog(),
                    HEAP);
            notes.add("Textbook apps: exactly_once_v2, 100 ms commits (exactly-once's default; the aggregator ships 1 s"
                    + " and commits on demand for live data), "
                    + SingleWindowApp.DEFAULT_THREADS + " stream threads (its stream-threads), Kafka's default record"
                    + " cache (it sets none), 6 h grace, -Xmx" + HEAP + " like the aggregator; they count events"
                    + " only.");
            notes.add(String.format("Textbook 1-window app: %,.0f events/s right before the aggregator and %,.0f"
                    + " right after it; its figure and the aggregator's ratio use the mean, so that neither gains by"
                    + " the order (the first exactly-once app on the broker runs slower, most likely because the"
                    + " broker's JIT has not compiled its transaction paths yet).",
                    singleBefore.progress().catchUpRate(), single.progress().catchUpRate()));
            final double aggregatorRate = aggregator.catchUpRate();
            figures.add(Figure.of("catchup.single", "aggregation", "textbook app: 1 h TimeWindows count",
                    singleRate, "events/s").ratio(consumer.messagesPerSecond(), "raw consumer"));
            figures.add(Figure.of("catchup.three", "aggregation", "textbook app: dedup + 1 h, 24 h, 7 d counts",
                    three.progress().catchUpRate(), "events/s").ratio(consumer.messagesPerSecond(), "raw consumer"));
            figures.add(Figure.of("catchup.aggregator", "aggregation", "aggregator, every feature on",
                    aggregatorRate, "events/s").ratio(consumer.messagesPerSecond(), "raw consumer"));
            figures.add(Figure.of("catchup.aggregator.vs-single", "aggregation", "aggregator / textbook 1-window app",
                    aggregatorRate, "events/s").ratio(singleRate, "textbook 1-window app")
                    .ratioAtLeast(1));
            figures.add(Figure.of("catchup.aggregator.vs-three", "aggregation", "aggregator / textbook 3-window app",
                    aggregatorRate, "events/s").ratio(three.progress().catchUpRate(), "textbook 3-window app"));
            timelines.put("aggregator catch-up", aggregator.timeline(1));
            timelines.put("textbook 1-window (before)", singleBefore.progress().timeline(1));
            timelines.put("textbook 1-window (after)", single.progress().timeline(1));
            timelines.put("textbook 3-window", three.progress().timeline(1));
            if (aggregator.lateEvents() > 0 || aggregator.deadLetters() > 0) {
                notes.add(String.format("The aggregator's catch-up produced %d late events and %d dead letters"
                        + " (0 expected).", aggregator.lateEvents(), aggregator.deadLetters()));
            }

            // The pipeline's own aggregator starts in a new group: without this it would begin with the backlog.
            final Map<TopicPartition, Long> skipped = skipInputs(bootstrap);
            log.println("[bench] pipeline: ingest, aggregator, alert service");
            final Path pipelineDir = Files.createDirectories(runDir.resolve("pipeline"));
            try (Pipeline pipeline = Pipeline.start(bootstrap, pipelineDir, new Pipeline.Settings(
                    Pipeline.DEFAULT_WINDOWS, Map.of(), Map.of()), 1)) {
                AlertProbes.createRules(pipeline);
                log.printf("[bench] alert latency: %d probes under %,d reports/s%n", settings.latencyAlerts(),
                        settings.latencyRate());
                final LatencyRun.Result latency = LatencyRun.run(pipeline, bootstrap, skipped, 0,
                        settings.latencyAlerts(), settings.latencyWarmup(), settings.latencyRate(),
                        Duration.ofMillis(400), settings.latencyLoad(), settings.seed());
                LatencyRun.writeProbes(runDir.resolve("probes.csv"), latency.probes());
                latencies = latency.latencies();
                addLatency(figures, latency, notes);

                awaitCaughtUp(bootstrap, pipeline, skipped, "fan-out", notes, log);
                log.printf("[bench] fan-out: %,d SSE subscribers%n", settings.subscribers());
                // Warm-up alerts first, as the latency part has: the first fan-outs to thousands of streams run
                // code the single-stream latency probes never made hot (JIT), as in a service that has run a while.
                final FanOut.Result fan = FanOut.run(pipeline, settings.subscribers(), FAN_OUT_WARMUP,
                        settings.fanOutProbes(), settings.latencyWarmup() + settings.latencyAlerts(), () -> { });
                fanOut = fan.deliveriesMs();
                addFanOut(figures, fan, notes);

                final List<EventLines> pool = EventLines.generate(settings.poolLines(), Duration.ofMinutes(30),
                        settings.seed());
                // Ingest is compared with ProducerPerformance, which ran with nothing else on the machine: the
                // aggregator and alert services stop first (their memory figures are read before), so that they
                // do not take half of the 2 cores for the events being measured.
                addMemory(figures, "aggregator (pipeline)", pipeline.peakMemory(pipeline.aggregator()));
                for (final ServiceProcess alert : pipeline.alerts()) {
                    addMemory(figures, "alert service", pipeline.peakMemory(alert));
                }
                pipeline.alerts().forEach(alert -> alert.stop(SERVICE_STOP));
                pipeline.aggregators().forEach(instance -> instance.stop(SERVICE_STOP));
                notes.add("Ingest parts: the ingest service alone on the broker, with the pipeline's aggregator and"
                        + " alert services stopped, as ProducerPerformance ran alone.");
                log.println("[bench] ingest: POST /v1/batch");
                final IngestLoad.Result batch = IngestLoad.batch(pipeline.ingestApi(),
                        pipeline.credentials().adminKey(), pool, settings.batchClients(), settings.batchLines(),
                        settings.ingestWarmup(), settings.ingestMeasured());
                log.println("[bench] ingest: single events, " + settings.singleClients() + " clients");
                final IngestLoad.Result singles = IngestLoad.single(pipeline.ingestApi(),
                        pipeline.credentials().adminKey(), pool, settings.singleClients(), settings.singleWarmup(),
                        settings.ingestMeasured(), pipeline.ingest().pid());
                timelines.put("ingest batch", batch.timeline());
                timelines.put("ingest single", singles.timeline());
                final double raw = producer.recordsPerSecond();
                figures.add(Figure.of("ingest.batch", "ingest", "POST /v1/batch (" + settings.batchLines()
                        + " lines, " + settings.batchClients() + " clients)", batch.eventsPerSecond(), "events/s")
                        .ratio(raw, "raw producer").ratioAtLeast(0.5));
                figures.add(Figure.of("ingest.single", "ingest", "single-event POST (" + settings.singleClients()
                        + " clients)", singles.eventsPerSecond(), "events/s").ratio(raw, "raw producer")
                        .atLeast(20_000));
                if (!Double.isNaN(singles.serviceCpuSeconds()) && singles.accepted() > 0) {
                    // The client and the broker share these cores with ingest here; in a deployment they do not.
                    final int cores = Runtime.getRuntime().availableProcessors();
                    final double micros = singles.serviceCpuMicrosPerEvent();
                    figures.add(Figure.of("ingest.single.cpu", "ingest", "single-event POST: ingest CPU per request",
                            micros, "us"));
                    figures.add(Figure.of("ingest.single.capacity", "ingest", "single-event capacity, " + cores
                            + " cores of its own", cores * 1e6 / micros, "events/s"));
                }
                noteRefusals(notes, batch);
                noteRefusals(notes, singles);
                notes.add(String.format("Single events: %d clients, each a keep-alive HTTP/1.1 connection, all"
                        + " driven by one thread over a selector (ClosedLoopClients, as wrk does) in this JVM beside"
                        + " the broker, %d s warm-up, %d s measured; the batch part uses the JDK HttpClient.",
                        settings.singleClients(),
                        settings.singleWarmup().toSeconds(), settings.ingestMeasured().toSeconds()));

                log.printf("[bench] ingest: borderwatch publish of %,d lines%n", settings.publishLines());
                final double publishRate = publishFile(settings, runDir, pipeline, publisher, notes);
                figures.add(Figure.of("ingest.publish", "ingest", "borderwatch publish FILE (defaults)",
                        publishRate, "events/s").ratio(raw, "raw producer").ratioAtLeast(0.5));

                addMemory(figures, "ingest", pipeline.peakMemory(pipeline.ingest()));
            }
            addMemory(figures, "aggregator (catch-up)", new long[] {aggregator.peakHeapGcLog().orElse(-1),
                    aggregator.peakRss().orElse(-1)});
            addMemory(figures, "textbook 1-window app", memory(single.peakHeap(), single.peakRss()));
            addMemory(figures, "textbook 3-window app", memory(three.peakHeap(), three.peakRss()));
            addMemory(figures, "ProducerPerformance", memory(producer.peakHeap(), producer.peakRss()));
            addMemory(figures, "ConsumerPerformance", memory(consumer.peakHeap(), consumer.peakRss()));
            addMemory(figures, "broker + harness (this JVM)", new long[] {peakHeapOfThisJvm(),
                    ProcessMemory.peakRss(ProcessHandle.current().pid()).orElse(-1)});
            notes.add(String.format("Backlog: %,d records (%,d reports + 1%% retried publishes) over 51 regions, %.0f B"
                    + " per Avro value on average; ProducerPerformance records are %d B.", backlog.events(),
                    backlog.distinct(), backlog.averageValueBytes(), recordSize));
        }
        final String loadAfter = loadAverage();
        notes.add("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + "; load average (1, 5, 15 min) before " + loadBefore
                + ", after " + loadAfter + ".");
        builds.forEach((jar, built) -> notes.add("Service jar " + jar + " built " + built + "."));
        if (!settings.quick() && settings.backlog() != Settings.full(settings.seed()).backlog()) {
            notes.add(0, String.format("Catch-up backlog %,d records (--backlog), not the full run's %,d; every other"
                    + " part at full size.", settings.backlog(), Settings.full(settings.seed()).backlog()));
        }
        if (settings.quick()) {
            notes.add(0, "QUICK RUN (--quick, for CI): small counts (backlog " + settings.backlog() + ", "
                    + settings.subscribers() + " subscribers, " + settings.latencyAlerts() + " latency probes under "
                    + settings.latencyRate() + " reports/s);"
                    + " the figures show the parts work, not what the system can do.");
        }
        return new BenchResult(settings, started, Instant.now(), figures, timelines, latencies, fanOut, notes);
    }

    private static void addLatency(final List<Figure> figures, final LatencyRun.Result latency,
                                   final List<String> notes) {
        final double[] sorted = withLost(latency.latencies(), latency.lost());
        final String group = "alert latency";
        figures.add(Figure.of("latency.p50", group, "ingest 202 -> SSE p50", percentile(sorted, 50), "ms"));
        figures.add(Figure.of("latency.p95", group, "ingest 202 -> SSE p95", percentile(sorted, 95), "ms"));
        figures.add(Figure.of("latency.p99", group, "ingest 202 -> SSE p99", percentile(sorted, 99), "ms")
                .below(250));
        figures.add(Figure.of("latency.aggregator-hop.p99", group, "202 -> breach committed p99",
                percentile(latency.toBreachCommitted(), 99), "ms"));
        figures.add(Figure.of("latency.lifecycle-hop.p99", group, "breach -> alert committed p99",
                percentile(latency.breachToAlertCommitted(), 99), "ms"));
        figures.add(Figure.of("latency.stream-hop.p99", group, "alert committed -> SSE p99",
                percentile(latency.alertCommittedToSse(), 99), "ms"));
        figures.add(Figure.of("latency.background", group, "background load accepted", latency.backgroundRate(),
                "events/s"));
        notes.add(String.format("Alert latency: %d probes measured after %d warm-up, %d lost (counted as slower"
                        + " than every other: a percentile among them is n/a); 202 -> breach p50 %.0f ms / p99 %.0f"
                        + " ms, breach -> SSE p50 %.0f ms / p99 %.0f ms; at the two exactly-once commits"
                        + " (read_committed readers): 202 -> breach readable p50 %.0f / p99 %.0f ms, -> alert"
                        + " readable p50 %.0f / p99 %.0f ms, -> SSE p50 %.0f / p99 %.0f ms; CPU (cores) %s. The"
                        + " aggregator kept up with the background load %.1f s after it started (%,d records behind"
                        + " when the probes began).",
                latency.alerts(), latency.warmup(), latency.lost(), percentile(latency.toBreach(), 50),
                percentile(latency.toBreach(), 99), percentile(latency.breachToSse(), 50),
                percentile(latency.breachToSse(), 99), percentile(latency.toBreachCommitted(), 50),
                percentile(latency.toBreachCommitted(), 99), percentile(latency.breachToAlertCommitted(), 50),
                percentile(latency.breachToAlertCommitted(), 99), percentile(latency.alertCommittedToSse(), 50),
                percentile(latency.alertCommittedToSse(), 99), latency.coresLine(), latency.settleSeconds(),
                latency.behindAtStart()));
    }

    private static void addFanOut(final List<Figure> figures, final FanOut.Result fan, final List<String> notes) {
        final String group = "fan-out";
        final double[] sorted = withLost(fan.deliveriesMs(), fan.missing());
        figures.add(Figure.of("fanout.subscribers", group, "SSE subscribers open", fan.opened(), "streams"));
        figures.add(Figure.of("fanout.p50", group, "202 -> SSE on every stream, p50", percentile(sorted, 50), "ms"));
        figures.add(Figure.of("fanout.p99", group, "202 -> SSE on every stream, p99", percentile(sorted, 99), "ms")
                .below(1000));
        final double[] all = Arrays.stream(fan.allMs()).sorted().toArray();
        figures.add(Figure.of("fanout.all.max", group, "202 -> the last stream has it, worst alert",
                all.length == 0 ? Double.NaN : all[all.length - 1], "ms"));
        notes.add(String.format("Fan-out: %,d of %,d streams opened in %.1f s; %d alerts (after " + FAN_OUT_WARMUP
                        + " not counted), %,d deliveries missing;"
                        + " %s (the breach's updatedAt splits the aggregator from the rest; first -> last is the"
                        + " fan-out itself: the alert service writing every stream, this JVM reading them);"
                        + " open-files limit (ulimit -n) of this JVM %s: each stream is a descriptor here and one in"
                        + " the alert service, so both need more than the subscriber count.", fan.opened(),
                fan.subscribers(), fan.openSeconds(), fan.allMs().length, fan.missing(), fan.split(),
                fan.fileDescriptorLimit().isPresent() ? String.valueOf(fan.fileDescriptorLimit().getAsLong())
                        : "unknown"));
    }

    private static void noteRefusals(final List<String> notes, final IngestLoad.Result result) {
        if (result.notAccepted() > 0 || result.failedRequests() > 0) {
            notes.add(String.format("%s: %,d events not accepted, %,d requests failed during the measurement.",
                    result.what(), result.notAccepted(), result.failedRequests()));
        }
    }

    private static double publishFile(final Settings settings, final Path runDir, final Pipeline pipeline,
                                      final FilePublisher publisher, final List<String> notes) throws IOException {
        final Path file = runDir.resolve("publish.ndjson");
        final StringBuilder text = new StringBuilder();
        EventLines.generate(settings.publishLines(), Duration.ofMinutes(30), settings.seed() + 7)
                .forEach(line -> text.append(line.line()).append('\n'));
        Files.writeString(file, text);
        final long start = System.nanoTime();
        final int exit = publisher.publish(file, pipeline.ingest().baseUri().toString(),
                pipeline.credentials().adminKey());
        final double seconds = (System.nanoTime() - start) / 1e9;
        if (exit != 0) {
            notes.add("borderwatch publish exited with " + exit + ": not every line was accepted.");
        }
        return exit == 0 ? settings.publishLines() / seconds : Double.NaN;
    }

    private static void addMemory(final List<Figure> figures, final String process, final long[] heapAndRss) {
        final String id = process.replaceAll("[^a-zA-Z0-9]+", "-").replaceAll("-$", "").toLowerCase();
        figures.add(Figure.of("memory." + id + ".heap", "memory", process + ": peak heap", heapAndRss[0] / 1048576.0,
                "MB"));
        figures.add(Figure.of("memory." + id + ".rss", "memory", process + ": peak RSS", heapAndRss[1] / 1048576.0,
                "MB"));
    }

    private static long[] memory(final OptionalLong heap, final OptionalLong rss) {
        return new long[] {heap.orElse(-1), rss.orElse(-1)};
    }

    /** The sum of the heap pools' peaks (each pool's own high-water mark since start). */
    private static long peakHeapOfThisJvm() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getType() == MemoryType.HEAP)
                .map(MemoryPoolMXBean::getPeakUsage).mapToLong(usage -> usage.getUsed()).sum();
    }

    /** The raw producer's topic, with as many partitions as the input topics. */
    public static void createBenchTopics(final String bootstrap) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(PRODUCER_TOPIC, Topics.INCIDENTS.partitions(), (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create the bench topics", e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits (bounded) until the pipeline's aggregator has committed every input record published so far, so that the
     * next part is not measured against the previous part's backlog (the latency run's background load kept the
     * aggregator busy for tens of seconds on a busy box, and the first fan-out alert waited behind it). A partition
     * without a commit counts as at {@code skipped}, where its records were deleted before the pipeline started.
     */
    private static void awaitCaughtUp(final String bootstrap, final Pipeline pipeline,
                                      final Map<TopicPartition, Long> skipped, final String next,
                                      final List<String> notes, final PrintStream log) {
        final long start = System.nanoTime();
        try (ClusterOffsets offsets = new ClusterOffsets(bootstrap)) {
            final Map<TopicPartition, Long> end = offsets.endOffsets(skipped.keySet());
            final LongSupplier behind = () -> {
                final Map<TopicPartition, Long> committed = offsets.committed(pipeline.aggregatorApplicationId());
                return end.entrySet().stream().mapToLong(entry -> Math.max(0, entry.getValue()
                        - committed.getOrDefault(entry.getKey(), skipped.get(entry.getKey())))).sum();
            };
            try {
                Awaitility.await("the aggregator commits the input before " + next)
                        .atMost(CAUGHT_UP_TIMEOUT).pollInterval(Duration.ofMillis(200))
                        .until(() -> behind.getAsLong() == 0);
            } catch (final ConditionTimeoutException e) {
                notes.add(String.format("Before %s the pipeline's aggregator still had %,d input records to commit"
                        + " after %d s; %s was measured anyway.", next, behind.getAsLong(),
                        CAUGHT_UP_TIMEOUT.toSeconds(), next));
            }
        }
        log.printf("[bench] the pipeline's aggregator caught up in %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    /** Deletes the backlog from the input topics; returns where each partition now starts (its end offset). */
    private static Map<TopicPartition, Long> skipInputs(final String bootstrap) {
        try (ClusterOffsets offsets = new ClusterOffsets(bootstrap);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            final List<TopicPartition> inputs = offsets.partitions(List.of(Topics.INCIDENTS.name(),
                    Topics.SEIZURES.name()));
            final Map<TopicPartition, RecordsToDelete> delete = new LinkedHashMap<>();
            offsets.endOffsets(inputs).forEach((partition, end) ->
                    delete.put(partition, RecordsToDelete.beforeOffset(end)));
            admin.deleteRecords(delete).all().get(30, TimeUnit.SECONDS);
            final Map<TopicPartition, Long> starts = new LinkedHashMap<>();
            delete.forEach((partition, records) -> starts.put(partition, records.beforeOffset()));
            return starts;
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot delete the backlog", e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The latencies that arrived plus one infinite latency per one that did not: a percentile over the arrived ones
     * alone would drop the slowest (30 of 100 probes on a box at load 40), so a percentile that falls among the lost
     * is not a number (n/a in the table) instead of a figure that looks measured.
     */
    static double[] withLost(final double[] arrivedSorted, final long lost) {
        final double[] all = Arrays.copyOf(arrivedSorted, arrivedSorted.length + (int) lost);
        Arrays.fill(all, arrivedSorted.length, all.length, Double.POSITIVE_INFINITY);
        return all;
    }

    /** The percentile; NaN when it falls among the lost. */
    static double percentile(final double[] sorted, final double p) {
        final double value = Percentiles.of(sorted, p);
        return Double.isInfinite(value) ? Double.NaN : value;
    }

    /** {@code /proc/loadavg}'s three averages: how busy the shared machine was. */
    static String loadAverage() {
        try {
            final String[] parts = Files.readString(Path.of("/proc/loadavg")).split("\\s+");
            return parts[0] + ", " + parts[1] + ", " + parts[2];
        } catch (final IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
