package org.borderwatch.bench;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.borderwatch.bench.latency.AlertProbes;
import org.borderwatch.bench.latency.BackgroundLoad;
import org.borderwatch.bench.pipeline.Pipeline;
import org.borderwatch.bench.process.MachineCpu;
import org.borderwatch.bench.process.ProcessCpu;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;

/**
 * End-to-end alert latency: from the ingest API's 202 for a report that makes a new breach to an SSE subscriber of
 * the alert service receiving the FIRED alert, p50/p95/p99 over {@code --alerts} probes, while {@code --rate}
 * reports per second of background load go through the ingest API's batch endpoint. An embedded broker on
 * 127.0.0.1; ingest, the aggregator and the alert service run as child processes from their packaged
 * {@code target/} directories and are stopped by their handles at the end. A measurement, not a test: exits 0
 * whatever the figures (2 on a wrong command line, 1 when probes were lost).
 */
public final class AlertLatencyBenchmark {

    private static final String USAGE = "usage: AlertLatencyBenchmark [--alerts N (100, at most "
            + AlertProbes.MAX_PROBES + ")] [--warmup N (10)] [--rate EVENTS_PER_S (5000)]"
            + " [--interval-ms MS (400: mean gap between probes)] [--load-seconds S (10: background load before the"
            + " first probe)] [--aggregator-env NAME=VALUE (repeatable)] [--alert-env NAME=VALUE (repeatable)]"
            + " [--seed S] [--work-dir DIR (bench/target/alert-latency)]";
    private static final double TARGET_P99_MS = 500;
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(15);

    private AlertLatencyBenchmark() {
    }

    private record Options(int alerts, int warmup, int rate, Duration interval, Duration loadBefore,
                           Map<String, String> aggregatorEnv, Map<String, String> alertEnv, long seed,
                           Path workDir) {

        static Options parse(final String[] args) {
            final CommandLine line = CommandLine.parse(args, Set.of("alerts", "warmup", "rate", "interval-ms",
                    "load-seconds", "aggregator-env", "alert-env", "seed", "work-dir"), Set.of(), USAGE);
            final Options options = new Options((int) line.number("alerts", 100), (int) line.number("warmup", 10),
                    (int) line.number("rate", 5000), Duration.ofMillis(line.number("interval-ms", 400)),
                    Duration.ofSeconds(line.number("load-seconds", 10)), line.env("aggregator-env"),
                    line.env("alert-env"), line.number("seed", System.currentTimeMillis()),
                    Path.of(line.text("work-dir", "bench/target/alert-latency")));
            if (options.alerts() < 1 || options.warmup() < 0
                    || options.alerts() + options.warmup() > AlertProbes.MAX_PROBES || options.rate() < 0
                    || options.rate() > 50_000 || options.interval().toMillis() < 10) {
                throw new CommandLine.UsageException("--alerts + --warmup must be 1.." + AlertProbes.MAX_PROBES
                        + ", --rate 0..50000, --interval-ms at least 10\n" + USAGE);
            }
            return options;
        }
    }

    public static void main(final String[] args) throws IOException {
        final Options options;
        try {
            options = Options.parse(args);
        } catch (final CommandLine.UsageException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        final Path runDir = Files.createTempDirectory(Files.createDirectories(options.workDir()), "run-");
        final PrintStream out = System.out;
        final Map<Path, String> builds = builds();
        final List<AlertProbes.Probe> probes;
        final long loadStart;
        final long loadEnd;
        final Map<String, Long> loadAtStart;
        final Map<String, Long> loadAtEnd;
        final Map<String, Double> cores = new LinkedHashMap<>();
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start()) {
            kafka.createTopics();
            try (Pipeline pipeline = Pipeline.start(kafka.bootstrapServers(), runDir, new Pipeline.Settings(
                    Pipeline.DEFAULT_WINDOWS, options.aggregatorEnv(), options.alertEnv()), 1);
                 AlertProbes.SseFirings firings = new AlertProbes.SseFirings(pipeline)) {
                AlertProbes.createRules(pipeline);
                final SplittableRandom random = new SplittableRandom(options.seed());
                try (BackgroundLoad load = BackgroundLoad.start(pipeline.ingestApi(),
                        pipeline.credentials().adminKey(), options.rate())) {
                    // Let the load settle (JIT, batching) before measuring: a condition on the load itself.
                    final long target = options.rate() * options.loadBefore().toSeconds();
                    await("background load").atMost(options.loadBefore().multipliedBy(3))
                            .pollInterval(Duration.ofMillis(100)).until(() -> load.accepted() >= target);
                    AlertProbes.run(pipeline, firings, 0, options.warmup(), options.interval(), PROBE_TIMEOUT,
                            random);
                    loadAtStart = load.counts();
                    loadStart = System.nanoTime();
                    final MachineCpu.Times machineBefore = MachineCpu.now();
                    final Map<String, Double> before = processCpu(pipeline);
                    probes = AlertProbes.run(pipeline, firings, options.warmup(), options.alerts(),
                            options.interval(), PROBE_TIMEOUT, random);
                    loadEnd = System.nanoTime();
                    final double wall = (loadEnd - loadStart) / 1e9;
                    final double machine = (MachineCpu.now().busy() - machineBefore.busy()) / wall;
                    cores.put("machine", machine);
                    processCpu(pipeline).forEach((name, value) -> cores.put(name,
                            (value - before.getOrDefault(name, 0.0)) / wall));
                    // On a shared box, what else ran: the figures are only comparable when this stays low.
                    cores.put("other processes", machine - cores.entrySet().stream()
                            .filter(entry -> !entry.getKey().equals("machine"))
                            .mapToDouble(Map.Entry::getValue).sum());
                    loadAtEnd = load.counts();
                }
            }
        }
        writeProbes(runDir.resolve("probes.csv"), probes);
        final boolean complete = print(out, options, builds, probes, (loadEnd - loadStart) / 1e9, loadAtStart,
                loadAtEnd, cores, runDir);
        System.exit(complete ? 0 : 1);
    }

    private static boolean print(final PrintStream out, final Options options, final Map<Path, String> builds,
                                 final List<AlertProbes.Probe> probes,
                                 final double seconds, final Map<String, Long> before, final Map<String, Long> after,
                                 final Map<String, Double> cores, final Path runDir) {
        final double[] latencies = probes.stream().filter(probe -> probe.receivedNanos() >= 0)
                .mapToDouble(AlertProbes.Probe::latencyMs).sorted().toArray();
        final double[] toBreach = probes.stream().filter(probe -> probe.receivedNanos() >= 0
                && probe.breachEpochMs() >= 0).mapToDouble(AlertProbes.Probe::toBreachMs).sorted().toArray();
        final double[] breachToSse = probes.stream().filter(probe -> probe.receivedNanos() >= 0
                && probe.breachEpochMs() >= 0).mapToDouble(AlertProbes.Probe::breachToSseMs).sorted().toArray();
        final double[] publish = probes.stream().mapToDouble(probe -> probe.publishNanos() / 1e6).sorted().toArray();
        final long lost = options.alerts() - latencies.length;
        final Map<String, Long> load = new LinkedHashMap<>();
        after.forEach((name, value) -> load.put(name, value - before.get(name)));
        out.printf("%nborderwatch alert latency (%d cores, Java %s), logs in %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), runDir);
        builds.forEach((jar, built) -> out.printf("  service        %s, built %s%n", jar, built));
        out.printf("  probes         %d alerts measured (%d warm-up before), one new breach each, mean gap %d ms%n",
                options.alerts(), options.warmup(), options.interval().toMillis());
        out.printf("  background     %,.0f reports/s accepted through POST /v1/batch during the measurement"
                        + " (%,d accepted, %,d not accepted, %,d ticks skipped, target %,d/s, %.1f s)%n",
                load.get("accepted") / seconds, load.get("accepted"), load.get("notAccepted"),
                load.get("skippedTicks"), options.rate(), seconds);
        out.printf("  CPU (cores)    during the measurement: %s of %d%n", cores.entrySet().stream()
                .map(entry -> String.format("%s %.2f", entry.getKey(), entry.getValue()))
                .collect(java.util.stream.Collectors.joining(", ")), Runtime.getRuntime().availableProcessors());
        out.printf("  202 -> SSE     p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms, mean %.0f ms (%d received,"
                        + " %d lost)%n", percentile(latencies, 50), percentile(latencies, 95),
                percentile(latencies, 99), latencies.length == 0 ? Double.NaN : latencies[latencies.length - 1],
                Arrays.stream(latencies).average().orElse(Double.NaN), latencies.length, lost);
        out.printf("    of which     202 -> breach evaluated (aggregator: processing, punctuation): p50 %.0f ms,"
                + " p99 %.0f ms%n", percentile(toBreach, 50), percentile(toBreach, 99));
        out.printf("                 breach -> SSE (aggregator commit, lifecycle, alert log, stream): p50 %.0f ms,"
                + " p99 %.0f ms%n", percentile(breachToSse, 50), percentile(breachToSse, 99));
        out.printf("  publish        POST /v1/incidents round trip to the 202: p50 %.1f ms, p99 %.1f ms%n",
                percentile(publish, 50), percentile(publish, 99));
        out.printf("  target         p99 < %.0f ms: %s%n", TARGET_P99_MS,
                latencies.length > 0 && lost == 0 && percentile(latencies, 99) < TARGET_P99_MS ? "met" : "NOT met");
        return lost == 0;
    }

    /** Each service jar and when it was built, as the run starts: services are rebuilt by others meanwhile. */
    private static Map<Path, String> builds() {
        final Map<Path, String> builds = new LinkedHashMap<>();
        for (final org.borderwatch.launcher.Service service : org.borderwatch.launcher.Service.values()) {
            final Path jar = service.defaultHome().resolve(service.jar());
            builds.put(jar, lastModified(jar));
        }
        return builds;
    }

    private static String lastModified(final Path jar) {
        try {
            return Files.getLastModifiedTime(jar).toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                    .toString();
        } catch (final IOException e) {
            return "?";
        }
    }

    /** One line per probe, in publishing order: for plots and for a latency that drifts during the run. */
    private static void writeProbes(final Path file, final List<AlertProbes.Probe> probes) throws IOException {
        final StringBuilder csv = new StringBuilder("alertId,acceptedMsFromFirst,publishMs,latencyMs,toBreachMs\n");
        final long first = probes.isEmpty() ? 0 : probes.get(0).acceptedNanos();
        for (final AlertProbes.Probe probe : probes) {
            csv.append(probe.alertId()).append(',').append((probe.acceptedNanos() - first) / 1_000_000).append(',')
                    .append(String.format(java.util.Locale.ROOT, "%.1f", probe.publishNanos() / 1e6)).append(',')
                    .append(probe.receivedNanos() < 0 ? "" : String.format(java.util.Locale.ROOT, "%.1f",
                            probe.latencyMs())).append(',')
                    .append(probe.receivedNanos() < 0 || probe.breachEpochMs() < 0 ? "" : String.format(
                            java.util.Locale.ROOT, "%.0f", probe.toBreachMs())).append('\n');
        }
        Files.writeString(file, csv);
    }

    /** CPU seconds so far of this JVM (broker, load, probes) and of each service process. */
    private static Map<String, Double> processCpu(final Pipeline pipeline) {
        final Map<String, Double> seconds = new LinkedHashMap<>();
        seconds.put("broker+harness", ProcessCpu.seconds(ProcessHandle.current().pid()).orElse(0));
        seconds.put("ingest", ProcessCpu.seconds(pipeline.ingest().pid()).orElse(0));
        seconds.put("aggregator", ProcessCpu.seconds(pipeline.aggregator().pid()).orElse(0));
        seconds.put("alert", ProcessCpu.seconds(pipeline.alerts().get(0).pid()).orElse(0));
        return seconds;
    }

    /** Nearest rank: the smallest value with at least p % of the values at or below it. */
    static double percentile(final double[] sorted, final double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        final int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
