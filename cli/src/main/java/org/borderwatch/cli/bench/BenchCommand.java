package org.borderwatch.cli.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

import org.borderwatch.bench.AlertLatencyBenchmark;
import org.borderwatch.bench.AlertMemoryBenchmark;
import org.borderwatch.bench.CatchUpBenchmark;
import org.borderwatch.bench.suite.BenchResult;
import org.borderwatch.bench.suite.BenchSuite;
import org.borderwatch.cli.CliException;
import org.borderwatch.cli.Main;
import org.borderwatch.cli.publish.PublishCommand;
import org.borderwatch.launcher.Service;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code borderwatch bench}: every figure of the benchmark in one run on an embedded broker (see
 * {@link BenchSuite}); prints the table and writes {@code results.json}, {@code report.md} and two plots to
 * {@code --out}. The services run from their packaged {@code target/} directories under {@code --home}, as
 * {@code borderwatch dev} runs them. Its parts alone: {@code bench catchup}, {@code bench latency}; and
 * {@code bench alert-memory}. A measurement,
 * not a test: exit 0 whatever the figures, 1 when a part could not be measured.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark against Kafka itself: raw producer/consumer, ingest, catch-up, alert latency,"
                + " fan-out, memory; one table, JSON, markdown and plots.",
        subcommands = {CatchUpBenchmark.class, AlertLatencyBenchmark.class, AlertMemoryBenchmark.class,
                IngestBenchCommand.class})
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--home", defaultValue = "${env:BORDERWATCH_HOME:-.}",
            description = "Repository root (set by ./borderwatch)")
    Path home;

    @Option(names = "--out", description = "Results folder (default: <home>/.borderwatch/bench/<UTC time>)")
    Path out;

    @Option(names = "--quick", description = "Small counts for CI (a few minutes); the report says so")
    boolean quick;

    @Option(names = "--backlog", paramLabel = "N",
            description = "Records in the catch-up backlog (default 1,000,000; with --quick 20,000)")
    Long backlog;

    @Option(names = "--seed", defaultValue = "20261206", description = "Workload seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws Exception {
        final PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        final Path root = serviceHomes(home);
        final Path results = (out != null ? out : root.resolve(".borderwatch").resolve("bench").resolve(
                DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now())))
                .toAbsolutePath();
        // Ctrl-C (or a kill) skips the suite's own closing: end the services, tools and apps it started, by handle.
        final Thread endChildren = new Thread(() -> ProcessHandle.current().descendants()
                .forEach(ProcessHandle::destroy), "bench-end-children");
        Runtime.getRuntime().addShutdownHook(endChildren);
        final BenchSuite.Settings defaults = quick ? BenchSuite.Settings.quick(seed) : BenchSuite.Settings.full(seed);
        if (backlog != null && backlog < 1_000) {
            throw new CliException(2, "--backlog must be at least 1000, got " + backlog);
        }
        final BenchSuite.Settings settings = backlog == null ? defaults : defaults.withBacklog(backlog);
        final BenchResult result = BenchSuite.run(settings, results, BenchCommand::publish, stdout);
        Runtime.getRuntime().removeShutdownHook(endChildren);
        // The table first: it is the measurement, and stays on the terminal if a file cannot be written.
        result.print(stdout);
        result.write(results);
        stdout.println();
        stdout.println("Report: " + results.resolve(BenchResult.MARKDOWN) + " (JSON " + BenchResult.JSON
                + ", plots " + BenchResult.LATENCY_PLOT + ", " + BenchResult.THROUGHPUT_PLOT + ")");
        return 0;
    }

    /** Points the bench's launchers at the services packaged under {@code home}; returns its absolute path. */
    static Path serviceHomes(final Path home) {
        final Path root = home.toAbsolutePath().normalize();
        for (final Service service : Service.values()) {
            // The bench's launchers find each service by this property, as the dev stack finds it under --home.
            if (System.getProperty(service.homeProperty()) == null) {
                System.setProperty(service.homeProperty(), service.home(root).toString());
            }
        }
        return root;
    }

    /** {@code borderwatch publish FILE} with its defaults, in this JVM; its summary goes to stdout as usual. */
    static int publish(final Path file, final String ingestUrl, final String apiKey) {
        return Main.commandLine(new PublishCommand()).execute("--url", ingestUrl, "--api-key", apiKey,
                file.toString());
    }
}
