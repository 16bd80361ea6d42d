package org.borderwatch.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.kafka.common.TopicPartition;
import org.borderwatch.bench.kafka.ClusterOffsets;
import org.borderwatch.bench.latency.AlertProbes;
import org.borderwatch.bench.latency.LatencyRun;
import org.borderwatch.bench.latency.Percentiles;
import org.borderwatch.bench.pipeline.Pipeline;
import org.borderwatch.bench.process.CpuHogs;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.borderwatch.launcher.Service;
import org.borderwatch.schemas.Topics;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code borderwatch bench latency}: end-to-end alert latency, from the ingest API's 202 for a report that makes a
 * new breach to an SSE subscriber of the alert service receiving the FIRED alert, p50/p95/p99 over {@code --alerts}
 * probes, while {@code --rate} reports per second of background load go through the ingest API's batch endpoint. An
 * embedded broker on 127.0.0.1; ingest, the aggregator and the alert service run as child processes from their
 * packaged {@code target/} directories and are stopped by their handles at the end. A measurement, not a test:
 * exits 0 whatever the figures (2 on a wrong command line, 1 when probes were lost).
 */
@Command(name = "latency", mixinStandardHelpOptions = true,
        description = "Alert latency alone: ingest 202 -> SSE under background load (part of `bench`).")
public final class AlertLatencyBenchmark implements Callable<Integer> {

    private static final double TARGET_P99_MS = 250;
    /** The hogs end by themselves after this, should this JVM die without ending them. */
    private static final Duration HOGS_LIMIT = Duration.ofMinutes(15);

    @Spec
    CommandSpec spec;

    @Option(names = "--alerts", defaultValue = "100", description = "Measured probes (default: ${DEFAULT-VALUE})")
    int alerts;

    @Option(names = "--warmup", defaultValue = "10", description = "Probes before the measurement (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--rate", defaultValue = "5000", description = "Background reports per second, 0..50000 (default: ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--interval-ms", defaultValue = "400", description = "Mean gap between probes, at least 10 (default: ${DEFAULT-VALUE})")
    long intervalMs;

    @Option(names = "--load-seconds", defaultValue = "10", description = "Background load before the first probe (default: ${DEFAULT-VALUE})")
    long loadSeconds;

    @Option(names = "--aggregator-env", paramLabel = "NAME=VALUE", description = "More aggregator configuration, repeatable")
    Map<String, String> aggregatorEnv = new LinkedHashMap<>();

    @Option(names = "--alert-env", paramLabel = "NAME=VALUE", description = "More alert-service configuration, repeatable")
    Map<String, String> alertEnv = new LinkedHashMap<>();

    @Option(names = "--cpu-hogs", defaultValue = "0", description = "Threads that only compute, in a JVM of their"
            + " own beside the pipeline during the measurement: a busy day on demand, 0..8 (default: ${DEFAULT-VALUE})")
    int cpuHogs;

    @Option(names = "--seed", description = "Probe gaps (default: the clock)")
    Long seed;

    @Option(names = "--work-dir", defaultValue = "bench/target/alert-latency", description = "Logs in run-*/ (default: ${DEFAULT-VALUE})")
    Path workDir;

    @Override
    public Integer call() throws IOException {
        if (alerts < 1 || warmup < 0 || alerts + warmup > AlertProbes.MAX_PROBES || rate < 0 || rate > 50_000
                || intervalMs < 10 || cpuHogs < 0 || cpuHogs > 8) {
            spec.commandLine().getErr().println("latency: --alerts + --warmup must be 1.." + AlertProbes.MAX_PROBES
                    + ", --rate 0..50000, --interval-ms at least 10, --cpu-hogs 0..8");
            return 2;
        }
        final Path runDir = Files.createTempDirectory(Files.createDirectories(workDir), "run-");
        final Map<Path, String> builds = builds();
        final LatencyRun.Result result;
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start()) {
            kafka.createTopics();
            try (Pipeline pipeline = Pipeline.start(kafka.bootstrapServers(), runDir, new Pipeline.Settings(
                    Pipeline.DEFAULT_WINDOWS, aggregatorEnv, alertEnv), 1)) {
                AlertProbes.createRules(pipeline);
                final Map<TopicPartition, Long> fromStart = new HashMap<>();
                try (ClusterOffsets offsets = new ClusterOffsets(kafka.bootstrapServers())) {
                    offsets.partitions(List.of(Topics.INCIDENTS.name(), Topics.SEIZURES.name()))
                            .forEach(partition -> fromStart.put(partition, 0L));
                }
                try (CpuHogs hogs = cpuHogs > 0 ? CpuHogs.start(cpuHogs, HOGS_LIMIT, runDir) : null) {
                    result = LatencyRun.run(pipeline, kafka.bootstrapServers(), fromStart, 0, alerts, warmup, rate,
                            Duration.ofMillis(intervalMs), Duration.ofSeconds(loadSeconds),
                            seed != null ? seed : System.currentTimeMillis());
                }
            }
        }
        LatencyRun.writeProbes(runDir.resolve("probes.csv"), result.probes());
        print(System.out, builds, result, runDir, cpuHogs);
        return result.lost() == 0 ? 0 : 1;
    }

    private static void print(final PrintStream out, final Map<Path, String> builds, final LatencyRun.Result result,
                              final Path runDir, final int cpuHogs) {
        final double[] latencies = result.latencies();
        final double[] toBreach = result.toBreach();
        final double[] breachToSse = result.breachToSse();
        final double[] publish = result.probes().stream().mapToDouble(probe -> probe.publishNanos() / 1e6).sorted()
                .toArray();
        final Map<String, Long> load = result.load();
        out.printf("%nborderwatch alert latency (%d cores, Java %s), logs in %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), runDir);
        builds.forEach((jar, built) -> out.printf("  service        %s, built %s%n", jar, built));
        out.printf("  settle         the aggregator kept up with the load %.1f s after it started (%,d input records"
                + " not committed when the probes began)%n", result.settleSeconds(), result.behindAtStart());
        out.printf("  probes         %d alerts measured (%d warm-up before), one new breach each, mean gap %d ms%n",
                result.alerts(), result.warmup(), result.interval().toMillis());
        out.printf("  background     %,.0f reports/s accepted through POST /v1/batch during the measurement"
                        + " (%,d accepted, %,d not accepted, %,d ticks skipped, target %,d/s, %.1f s)%n",
                result.backgroundRate(), load.get("accepted"), load.get("notAccepted"), load.get("skippedTicks"),
                result.rate(), result.seconds());
        if (cpuHogs > 0) {
            out.printf("  busy machine   %d threads that only compute ran beside the pipeline (in the other"
                    + " processes' CPU below)%n", cpuHogs);
        }
        out.printf("  CPU (cores)    during the measurement: %s of %d%n", result.coresLine(),
                Runtime.getRuntime().availableProcessors());
        out.printf("  202 -> SSE     p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms, mean %.0f ms (%d received,"
                        + " %d lost)%n", Percentiles.of(latencies, 50), Percentiles.of(latencies, 95),
                Percentiles.of(latencies, 99), latencies.length == 0 ? Double.NaN : latencies[latencies.length - 1],
                Arrays.stream(latencies).average().orElse(Double.NaN), latencies.length, result.lost());
        out.printf("    of which     202 -> breach evaluated (aggregator: processing, punctuation): p50 %.0f ms,"
                + " p99 %.0f ms%n", Percentiles.of(toBreach, 50), Percentiles.of(toBreach, 99));
        out.printf("                 breach -> SSE (aggregator commit, lifecycle, alert log, stream): p50 %.0f ms,"
                + " p99 %.0f ms%n", Percentiles.of(breachToSse, 50), Percentiles.of(breachToSse, 99));
        final double[] toBreachCommitted = result.toBreachCommitted();
        final double[] breachToAlert = result.breachToAlertCommitted();
        final double[] alertToSse = result.alertCommittedToSse();
        out.printf("  at the commits 202 -> breach readable (read_committed; aggregator processing and commit): p50"
                + " %.0f ms, p99 %.0f ms%n", Percentiles.of(toBreachCommitted, 50),
                Percentiles.of(toBreachCommitted, 99));
        out.printf("                 breach readable -> alert readable (lifecycle and its commit): p50 %.0f ms, p99"
                + " %.0f ms%n", Percentiles.of(breachToAlert, 50), Percentiles.of(breachToAlert, 99));
        out.printf("                 alert readable -> SSE (alert log, stream, client): p50 %.0f ms, p99 %.0f ms"
                + " (%d probes seen at both commits)%n", Percentiles.of(alertToSse, 50),
                Percentiles.of(alertToSse, 99), alertToSse.length);
        out.printf("  publish        POST /v1/incidents round trip to the 202: p50 %.1f ms, p99 %.1f ms%n",
                Percentiles.of(publish, 50), Percentiles.of(publish, 99));
        out.printf("  target         p99 < %.0f ms: %s%n", TARGET_P99_MS, latencies.length > 0 && result.lost() == 0
                && Percentiles.of(latencies, 99) < TARGET_P99_MS ? "met" : "NOT met");
    }

    /** Each service jar and when it was built, as the run starts: services are rebuilt by others meanwhile. */
    public static Map<Path, String> builds() {
        final Map<Path, String> builds = new LinkedHashMap<>();
        for (final Service service : Service.values()) {
            final Path jar = service.defaultHome().resolve(service.jar());
            try {
                builds.put(jar, Files.getLastModifiedTime(jar).toInstant().truncatedTo(ChronoUnit.SECONDS)
                        .toString());
            } catch (final IOException e) {
                builds.put(jar, "?");
            }
        }
        return builds;
    }
}
