package org.borderwatch.bench.fanout;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import org.borderwatch.bench.latency.AlertProbes;
import org.borderwatch.bench.latency.Percentiles;
import org.borderwatch.bench.pipeline.Pipeline;
import org.borderwatch.bench.process.BenchLogging;
import org.borderwatch.bench.process.Jcmd;
import org.borderwatch.bench.process.ProcessCpu;
import org.borderwatch.bench.process.ThreadCpu;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;

/**
 * Fan-out alone, without the rest of {@code ./borderwatch bench}: an embedded broker, the packaged pipeline (ingest,
 * aggregator, one alert service), then the suite's own {@link FanOut} with {@code subscribers} streams: a few minutes
 * instead of the suite's half hour, for profiling. Prints the suite's figures (202 → every stream p50/p99, the worst
 * alert's last stream), where each probe's time went ({@link FanOut.Split}), and the CPU the alert service and this
 * JVM (broker, SSE clients) spent during the probes, by thread. With {@code jfr} a flight recording
 * ({@code settings=profile}) of the alert service covers the probes; its file is printed.
 *
 * <p>{@code java -cp ... org.borderwatch.bench.fanout.FanOutRun [subscribers] [probes] [warm-up probes] [jfr]}
 * (10000, 10, 2).
 */
public final class FanOutRun {

    private FanOutRun() {
    }

    public static void main(final String[] args) throws Exception {
        BenchLogging.quietUnlessConfigured();
        final int subscribers = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        final int probes = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        final int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        final boolean jfr = args.length > 3 && args[3].equals("jfr");
        final Path dir = Files.createDirectories(Path.of("bench/target/fan-out")
                .resolve("run-" + System.currentTimeMillis())).toAbsolutePath();
        final PrintStream out = System.out;
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start()) {
            kafka.createTopics();
            try (Pipeline pipeline = Pipeline.start(kafka.bootstrapServers(), dir, new Pipeline.Settings(
                    Pipeline.DEFAULT_WINDOWS, Map.of(), Map.of()), 1)) {
                AlertProbes.createRules(pipeline);
                final long alertPid = pipeline.alerts().get(0).pid();
                final long self = ProcessHandle.current().pid();
                out.printf("alert service PID %d, logs in %s%n", alertPid, dir);
                final Path recording = dir.resolve("alert-fan-out.jfr");
                final Map<Long, Double>[] before = cpuSnapshots(alertPid, self);
                final double[] processBefore = new double[2];
                final long[] startNanos = new long[1];
                final FanOut.Result result = FanOut.run(pipeline, subscribers, warmup, probes, 0, () -> {
                    if (jfr) {
                        Jcmd.run(alertPid, "JFR.start", "name=fanout", "settings=profile",
                                "filename=" + recording);
                    }
                    final Map<Long, Double>[] now = cpuSnapshots(alertPid, self);
                    before[0] = now[0];
                    before[1] = now[1];
                    processBefore[0] = ProcessCpu.seconds(alertPid).orElse(Double.NaN);
                    processBefore[1] = ProcessCpu.seconds(self).orElse(Double.NaN);
                    startNanos[0] = System.nanoTime();
                });
                final double seconds = (System.nanoTime() - startNanos[0]) / 1e9;
                final Map<Long, Double>[] after = cpuSnapshots(alertPid, self);
                if (jfr) {
                    Jcmd.run(alertPid, "JFR.stop", "name=fanout");
                    out.printf("flight recording of the alert service during the probes: %s%n", recording);
                }
                print(out, result, warmup);
                out.printf("CPU during the probes (%.1f s, %d warm-up included): alert service %.1f s, this JVM"
                                + " (broker, SSE clients) %.1f s%n", seconds, warmup,
                        ProcessCpu.seconds(alertPid).orElse(Double.NaN) - processBefore[0],
                        ProcessCpu.seconds(self).orElse(Double.NaN) - processBefore[1]);
                printThreads(out, "alert service", ThreadCpu.byKind(alertPid, before[0], after[0]));
                printThreads(out, "this JVM", ThreadCpu.byKind(self, before[1], after[1]));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<Long, Double>[] cpuSnapshots(final long alertPid, final long self) {
        return new Map[] {ThreadCpu.snapshot(alertPid), ThreadCpu.snapshot(self)};
    }

    private static void print(final PrintStream out, final FanOut.Result result, final int warmup) {
        final double[] deliveries = result.deliveriesMs();
        out.printf("%nfan-out: %,d of %,d streams open in %.1f s; %d probes after %d warm-up; %,d deliveries"
                        + " missing%n", result.opened(), result.subscribers(), result.openSeconds(),
                result.allMs().length, warmup, result.missing());
        out.printf("  202 -> SSE on every stream  p50 %.0f ms, p99 %.0f ms%n", Percentiles.of(deliveries, 50),
                Percentiles.of(deliveries, 99));
        out.printf("  202 -> the last stream      per probe %s ms%n", join(result.allMs()));
        final List<FanOut.Split> splits = result.probes();
        out.printf("  202 -> breach               per probe %s ms%n", join(splits, FanOut.Split::toBreachMs));
        out.printf("  breach -> first stream      per probe %s ms%n", join(splits,
                FanOut.Split::breachToFirstMs));
        out.printf("  first -> last stream        per probe %s ms%n", join(splits, FanOut.Split::firstToLastMs));
        out.printf("  %s%n", result.split());
    }

    private static String join(final List<FanOut.Split> splits, final ToDoubleFunction<FanOut.Split> part) {
        return join(splits.stream().mapToDouble(part).toArray());
    }

    private static String join(final double[] values) {
        return String.join(" ", Arrays.stream(values).mapToObj(value -> String.format("%.0f", value)).toList());
    }

    private static void printThreads(final PrintStream out, final String process, final Map<String, Double> byKind) {
        out.printf("  %s, CPU s by thread:", process);
        byKind.entrySet().stream().filter(entry -> entry.getValue() >= 0.05)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(entry -> out.printf(" %s %.1f;", entry.getKey(), entry.getValue()));
        out.println();
    }
}
