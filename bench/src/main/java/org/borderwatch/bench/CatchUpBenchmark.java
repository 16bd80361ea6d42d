package org.borderwatch.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import org.borderwatch.bench.baseline.BaselineRun;
import org.borderwatch.bench.baseline.SingleWindowApp;
import org.borderwatch.bench.catchup.Backlog;
import org.borderwatch.bench.catchup.CatchUpRun;
import org.borderwatch.bench.catchup.ConsumerPerformanceRun;
import org.borderwatch.bench.catchup.JfrHotspots;
import org.borderwatch.bench.catchup.Progress;
import org.borderwatch.bench.kafka.ClusterOffsets;
import org.borderwatch.bench.kafka.InputPublisher;
import org.borderwatch.bench.process.AggregatorLauncher;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.borderwatch.schemas.Topics;

/**
 * The catch-up benchmark: publishes a backlog of {@code --events} realistic reports to an embedded broker on
 * 127.0.0.1, reads it once with Kafka's ConsumerPerformance, then starts the packaged aggregator service from offset
 * zero (exactly-once) and measures the events per second until its committed offsets reach the end of the input.
 * Prints both figures side by side with the aggregator's peak heap and resident memory; with {@code --jfr}, also
 * where its CPU time went. A measurement, not a test: it exits 0 whatever the figures (2 on a wrong command line).
 */
public final class CatchUpBenchmark {

    private static final String USAGE = "usage: CatchUpBenchmark [--events N (1000000)] [--days D (2)]"
            + " [--retries RATE (0.01)] [--heap SIZE (512m)] [--stream-threads N (the service's default)] [--jfr]"
            + " [--no-baseline] [--compare-home DIR (another aggregator build, e.g. before a change, run on the same"
            + " backlog)] [--compare-env NAME=VALUE (its configuration on top of --env, repeatable)]"
            + " [--env NAME=VALUE (more service configuration, repeatable)] [--seed S]"
            + " [--aggregator-home DIR (services/aggregator/target)] [--work-dir DIR (bench/target/catchup)]";
    private static final String INPUT_TOPICS = "border\\.(incidents|seizures)\\.v1";
    private static final double TARGET = 100_000;

    private CatchUpBenchmark() {
    }

    /** The command line, checked. */
    private record Options(long events, Duration span, double retries, String heap, Map<String, String> env,
                           boolean jfr, boolean baseline, long seed, Path home, Path compareHome,
                           Map<String, String> compareEnv, Path workDir) {

        static Options parse(final String[] args) {
            final CommandLine line = CommandLine.parse(args, Set.of("events", "days", "retries", "heap",
                    "stream-threads", "env", "seed", "aggregator-home", "compare-home", "compare-env", "work-dir"), Set.of("jfr", "no-baseline"), USAGE);
            final Map<String, String> env = new LinkedHashMap<>();
            if (line.text("stream-threads", null) != null) {
                env.put("BORDERWATCH_AGGREGATOR_STREAM_THREADS", Long.toString(line.number("stream-threads", 2)));
            }
            env.putAll(line.env("env"));
            return new Options(line.number("events", 1_000_000), Duration.ofDays(line.number("days", 2)),
                    line.decimal("retries", 0.01), line.text("heap", "512m"), env, line.flag("jfr"),
                    !line.flag("no-baseline"),
                    line.number("seed", 20260302L),
                    Path.of(line.text("aggregator-home", AggregatorLauncher.defaultHome().toString())),
                    line.text("compare-home", null) == null ? null : Path.of(line.text("compare-home", null)),
                    compareEnv(env, line.env("compare-env")),
                    Path.of(line.text("work-dir", "bench/target/catchup")));
        }

        private static Map<String, String> compareEnv(final Map<String, String> env, final Map<String, String> more) {
            final Map<String, String> all = new LinkedHashMap<>(env);
            all.putAll(more);
            return all;
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
        final AggregatorLauncher launcher = AggregatorLauncher.of(options.home(), runDir);
        final PrintStream out = System.out;

        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start()) {
            kafka.createTopics();
            final String bootstrap = kafka.bootstrapServers();
            final Backlog backlog;
            try (ClusterOffsets topics = new ClusterOffsets(bootstrap);
                 InputPublisher publisher = new InputPublisher(bootstrap)) {
                topics.awaitLeaders(List.of(Topics.INCIDENTS.name(), Topics.SEIZURES.name()));
                backlog = Backlog.publish(publisher, options.events(), options.span(), options.retries(),
                        options.seed());
            }
            final ConsumerPerformanceRun perf = ConsumerPerformanceRun.run(bootstrap, INPUT_TOPICS, options.events(),
                    runDir.resolve("consumer-performance.log"));
            // The yardstick in the same run: figures on this shared machine move 2-3x from hour to hour.
            final BaselineRun baseline = options.baseline()
                    ? BaselineRun.run(bootstrap, runDir, options.events(), options.heap()) : null;
            final CatchUpRun.Result aggregator = CatchUpRun.run(bootstrap, launcher, runDir, options.events(),
                    options.heap(), options.env(), options.jfr());
            // The other build after this one, so neither is favoured by running first on a cold broker.
            final CatchUpRun.Result compared = options.compareHome() == null ? null
                    : CatchUpRun.run(bootstrap, AggregatorLauncher.of(options.compareHome(), runDir), runDir,
                            options.events(), options.heap(), options.compareEnv(), false);
            print(out, backlog, options.span(), perf, aggregator);
            if (baseline != null) {
                printBaseline(out, baseline, aggregator);
            }
            if (compared != null) {
                out.printf("%n  compared build %s, configuration %s: first commit to caught up %,.0f events/s (best 5 s %,.0f) = %.2f x"
                                + " the aggregator above%s%n", options.compareHome(), compared.env(), compared.catchUpRate(),
                        compared.peakRate(), compared.catchUpRate() / aggregator.catchUpRate(), baseline == null ? ""
                                : String.format(", %.2f x the bare app", compared.catchUpRate()
                                        / baseline.progress().catchUpRate()));
            }
            if (aggregator.recording() != null) {
                JfrHotspots.print(aggregator.recording(), out);
            }
        }
        System.exit(0);
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
