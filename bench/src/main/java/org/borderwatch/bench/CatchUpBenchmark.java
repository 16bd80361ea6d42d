package org.borderwatch.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;

import org.borderwatch.bench.baseline.BaselineRun;
import org.borderwatch.bench.baseline.SingleWindowApp;
import org.borderwatch.bench.catchup.Backlog;
import org.borderwatch.bench.catchup.CatchUpRun;
import org.borderwatch.bench.catchup.ConsumerPerformanceRun;
import org.borderwatch.bench.catchup.JfrHotspots;
import org.borderwatch.bench.catchup.Progress;
import org.borderwatch.bench.process.AggregatorLauncher;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code borderwatch bench catchup}: publishes a backlog of {@code --events} realistic reports to an embedded broker
 * on 127.0.0.1, reads it once with Kafka's ConsumerPerformance, then starts the packaged aggregator service from
 * offset zero (exactly-once) and measures the events per second until its committed offsets reach the end of the
 * input. Prints both figures side by side with the aggregator's peak heap and resident memory; with {@code --jfr},
 * also where its CPU time went. A measurement, not a test: it exits 0 whatever the figures (2 on a wrong command
 * line).
 */
@Command(name = "catchup", mixinStandardHelpOptions = true,
        description = "Aggregator catch-up alone, with its JFR profile on request (part of `bench`).")
public final class CatchUpBenchmark implements Callable<Integer> {

    private static final String INPUT_TOPICS = "border\\.(incidents|seizures)\\.v1";
    private static final double TARGET = 100_000;

    @Option(names = "--events", defaultValue = "1000000", description = "Records in the backlog (default: ${DEFAULT-VALUE})")
    long events;

    @Option(names = "--days", defaultValue = "2", description = "Event time the backlog spans (default: ${DEFAULT-VALUE})")
    long days;

    @Option(names = "--retries", defaultValue = "0.01", description = "Share of retried publishes (default: ${DEFAULT-VALUE})")
    double retries;

    @Option(names = "--heap", defaultValue = "512m", description = "-Xmx of the aggregator and the bare app (default: ${DEFAULT-VALUE})")
    String heap;

    @Option(names = "--stream-threads", description = "BORDERWATCH_AGGREGATOR_STREAM_THREADS (default: the service's)")
    Integer streamThreads;

    @Option(names = "--env", paramLabel = "NAME=VALUE", description = "More service configuration, repeatable")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(names = "--jfr", description = "Record the catch-up with JFR and print where the time went")
    boolean jfr;

    @Option(names = "--no-baseline", negatable = false,
            description = "Skip the bare single-window app run next to the aggregator")
    boolean noBaseline;

    @Option(names = "--seed", defaultValue = "20260302", description = "The backlog is a function of the seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--aggregator-home", description = "The aggregator's jar and lib/ (default: services/aggregator/target)")
    Path home;

    @Option(names = "--work-dir", defaultValue = "bench/target/catchup", description = "Logs, GC log and recording in run-*/ (default: ${DEFAULT-VALUE})")
    Path workDir;

    @Override
    public Integer call() throws IOException {
        if (events < 1 || days < 1 || retries < 0 || retries >= 1) {
            System.err.println("catchup: --events and --days must be at least 1, --retries in [0, 1)");
            return 2;
        }
        final Map<String, String> serviceEnv = new LinkedHashMap<>();
        if (streamThreads != null) {
            serviceEnv.put("BORDERWATCH_AGGREGATOR_STREAM_THREADS", Integer.toString(streamThreads));
        }
        serviceEnv.putAll(env);
        final Duration span = Duration.ofDays(days);
        final Path runDir = Files.createTempDirectory(Files.createDirectories(workDir), "run-");
        final AggregatorLauncher launcher = AggregatorLauncher.of(home != null ? home
                : AggregatorLauncher.defaultHome(), runDir);
        final PrintStream out = System.out;

        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start()) {
            kafka.createTopics();
            final String bootstrap = kafka.bootstrapServers();
            final Backlog backlog = Backlog.publish(bootstrap, events, span, retries, seed);
            final ConsumerPerformanceRun perf = ConsumerPerformanceRun.run(bootstrap, INPUT_TOPICS, events, runDir);
            // The yardstick in the same run: figures on this shared machine move 2-3x from hour to hour.
            final BaselineRun baseline = noBaseline ? null
                    : BaselineRun.run(SingleWindowApp.class, bootstrap, runDir, events, heap);
            final CatchUpRun.Result aggregator = CatchUpRun.run(bootstrap, launcher, runDir, events, heap,
                    serviceEnv, jfr);
            print(out, backlog, span, perf, aggregator);
            if (baseline != null) {
                printBaseline(out, baseline, aggregator);
            }
            if (aggregator.recording() != null) {
                JfrHotspots.print(aggregator.recording(), out);
            }
        }
        return 0;
    }

    private static void print(final PrintStream out, final Backlog backlog, final Duration span,
                              final ConsumerPerformanceRun perf, final CatchUpRun.Result run) {
        final double seconds = (run.done().nanos() - run.firstCommit().nanos()) / 1e9;
        final double total = (run.done().nanos() - run.startNanos()) / 1e9;
        final double[] cores = run.coresBusy();
        out.printf("%nborderwatch catch-up benchmark (%d cores, Java %s)%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        out.printf("  backlog        %,d events (%,d reports + %,d retries) over 51 regions, %d h of event time,"
                        + " %.0f B per value on average%n", backlog.events(), backlog.distinct(),
                backlog.events() - backlog.distinct(), span.toHours(), backlog.averageValueBytes());
        out.printf("  published in   %.1f s (%,.0f events/s, acks=all, idempotent)%n", backlog.seconds(),
                backlog.events() / backlog.seconds());
        out.println();
        out.printf("  %-44s %12s %10s%n", "", "events/s", "seconds");
        out.printf("  %-44s %,12.0f %10.1f%n", "Kafka ConsumerPerformance (bytes only)", perf.messagesPerSecond(),
                perf.seconds());
        out.printf("  %-44s %,12.0f %10.1f%n", "  same, without its group join",
                perf.fetchMessagesPerSecond(), perf.seconds() - perf.joinMs() / 1000.0);
        out.printf("  %-44s %,12.0f %10.1f%n", "aggregator, first commit to caught up", run.catchUpRate(), seconds);
        out.printf("  %-44s %,12.0f %10.1f%n", "aggregator, best 5 s", run.peakRate(), 5.0);
        out.printf("  %-44s %,12.0f %10.1f%n", "aggregator, from process start (JVM, join)", run.endToEndRate(),
                total);
        out.println();
        out.printf("  aggregator     %.1f %% of ConsumerPerformance; target %,.0f events/s: %s%n",
                100 * run.catchUpRate() / perf.messagesPerSecond(), TARGET,
                run.catchUpRate() >= TARGET ? "met" : "NOT met");
        out.printf("  heap           peak used %s (GC log, before a collection), largest committed %s, -Xmx%s;"
                        + " /prometheus sampled max %s%n", mb(run.peakHeapGcLog()), mb(run.committedHeapGcLog()),
                run.heap(), mb(run.peakHeapSampled()));
        out.printf("  RSS            peak %s (VmHWM)%n", mb(run.peakRss()));
        out.printf("  CPU            during catch-up: aggregator %.2f cores, broker and this harness %.2f cores,"
                + " other processes on the machine %.2f cores%n", cores[0], cores[1], cores[2]);
        out.print("  aggregator CPU by thread (cores):");
        run.threadCpu().entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
                .filter(entry -> entry.getValue() / seconds >= 0.01)
                .forEach(entry -> out.printf("%n    %5.2f  %s", entry.getValue() / seconds, entry.getKey()));
        out.println();
        out.printf("  outputs        %s duplicates dropped (service metric; %,d retries published), %d late events,"
                        + " %d dead letters%n",
                run.duplicatesCounted().isPresent() ? String.format("%,.0f", run.duplicatesCounted().getAsDouble())
                        : "?", backlog.events() - backlog.distinct(), run.lateEvents(), run.deadLetters());
        out.printf("  run            application.id %s, configuration %s, log %s%n", run.applicationId(),
                run.env().isEmpty() ? "the service's defaults" : run.env(), run.log());
        out.print("  timeline       events/s per 5 s from the first commit:");
        run.timeline(5).forEach(rate -> out.printf(" %,.0f", rate));
        out.println();
    }

    private static void printBaseline(final PrintStream out, final BaselineRun baseline,
                                      final CatchUpRun.Result aggregator) {
        final Progress bare = baseline.progress();
        out.printf("%n  bare single-window app (baseline.SingleWindowApp: exactly_once_v2, 1 h TimeWindows count,"
                + " same commit interval and cache, %d threads)%n", SingleWindowApp.DEFAULT_THREADS);
        out.printf("  %-44s %,12.0f %10.1f%n", "bare app, first commit to caught up", bare.catchUpRate(),
                bare.seconds());
        out.printf("  %-44s %,12.0f %10.1f%n", "bare app, best 5 s", bare.peakRate(), 5.0);
        out.printf("  bare app CPU   %.2f cores; log %s%n", baseline.cores(), baseline.log());
        out.print("  timeline       events/s per 5 s from the first commit:");
        bare.timeline(5).forEach(rate -> out.printf(" %,.0f", rate));
        out.println();
        final double ratio = aggregator.catchUpRate() / bare.catchUpRate();
        out.printf("  ratio          aggregator / bare app = %.2f (best 5 s: %.2f); target >= 1: %s%n", ratio,
                aggregator.peakRate() / bare.peakRate(), ratio >= 1 ? "met" : "NOT met");
    }

    private static String mb(final OptionalLong bytes) {
        return bytes.isPresent() ? String.format("%,d MB", bytes.getAsLong() >> 20) : "n/a";
    }
}
