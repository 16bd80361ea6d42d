package org.borderwatch.cli.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import org.borderwatch.bench.ingest.IngestThroughput;
import org.borderwatch.cli.CliException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code borderwatch bench ingest}: the suite's ingest parts alone (see {@link IngestThroughput}) — batch ingest,
 * {@code borderwatch publish} of a file in this JVM, optionally single events — between two runs of Kafka's
 * ProducerPerformance on the same broker, each figure with its ratio to the raw producer. Minutes, not the
 * suite's half hour: for profiling and for before/after comparisons of the ingest path.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Batch ingest and publish (and single events) against ProducerPerformance before and after,"
                + " on one embedded broker; ratios to the raw producer.")
public final class IngestBenchCommand implements Callable<Integer> {

    @Option(names = "--home", defaultValue = "${env:BORDERWATCH_HOME:-.}",
            description = "Repository root (set by ./borderwatch)")
    Path home;

    @Option(names = "--single-clients", defaultValue = "0",
            description = "Closed-loop single-event clients; 0 skips single events (default: ${DEFAULT-VALUE})")
    int singleClients;

    @Option(names = "--warmup", defaultValue = "5", description = "Seconds of warm-up per load (default: ${DEFAULT-VALUE})")
    long warmup;

    @Option(names = "--measured", defaultValue = "20", description = "Seconds measured per load (default: ${DEFAULT-VALUE})")
    long measured;

    @Option(names = "--producer-records", defaultValue = "1000000",
            description = "Records of each ProducerPerformance run (default: ${DEFAULT-VALUE})")
    long producerRecords;

    @Option(names = "--publish-lines", defaultValue = "200000",
            description = "Lines of the published file; 0 skips publish (default: ${DEFAULT-VALUE})")
    int publishLines;

    @Override
    public Integer call() throws Exception {
        if (singleClients < 0 || warmup < 0 || measured < 1 || producerRecords < 1 || publishLines < 0) {
            throw new CliException(2, "--single-clients, --warmup and --publish-lines must be at least 0,"
                    + " --measured and --producer-records at least 1");
        }
        BenchCommand.serviceHomes(home);
        IngestThroughput.run(new IngestThroughput.Settings(singleClients, Duration.ofSeconds(warmup),
                        Duration.ofSeconds(measured), producerRecords, publishLines), BenchCommand::publish,
                new PrintStream(System.out, true, StandardCharsets.UTF_8));
        return 0;
    }
}
