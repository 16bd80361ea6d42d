package org.borderwatch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import org.borderwatch.bench.eos.EosResult;
import org.borderwatch.bench.eos.EosRun;
import org.borderwatch.bench.process.AggregatorLauncher;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;

/**
 * The exactly-once verification as a command, for sizes beyond the integration test's: an embedded broker on
 * 127.0.0.1, the packaged aggregator service killed hard {@code --kills} times while it processes {@code --events}
 * reports; prints the result and exits 0 when every aggregate, late event and dead letter is exactly as expected,
 * 1 when not, 2 on a wrong command line. See the README for the options.
 */
public final class EosVerification {

    private static final String USAGE = "usage: EosVerification [--events N (20000)] [--kills K (5)]"
            + " [--duplicates RATE (0.05)] [--late N (12)] [--publish-seconds S (N/500, at least 30)] [--seed S]"
            + " [--heap SIZE (512m)] [--env NAME=VALUE (more service configuration, repeatable)]"
            + " [--aggregator-home DIR (services/aggregator/target)]"
            + " [--work-dir DIR (bench/target/eos)]";

    private EosVerification() {
    }

    public static void main(final String[] args) throws IOException {
        final EosRun.Settings settings;
        final Path home;
        final Path workDir;
        try {
            final CommandLine line = CommandLine.parse(args, Set.of("events", "kills", "duplicates", "late",
                    "publish-seconds", "seed", "heap", "env", "aggregator-home", "work-dir"), Set.of(), USAGE);
            final int events = (int) line.number("events", 20_000);
            settings = new EosRun.Settings(events, (int) line.number("kills", 5), line.decimal("duplicates", 0.05),
                    (int) line.number("late", 12),
                    Duration.ofSeconds(line.number("publish-seconds", Math.max(30, events / 500))),
                    line.number("seed", System.currentTimeMillis()), line.text("heap", "512m"), line.env("env"));
            home = Path.of(line.text("aggregator-home", AggregatorLauncher.defaultHome().toString()));
            workDir = Path.of(line.text("work-dir", "bench/target/eos"));
        } catch (final CommandLine.UsageException | IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        final EosResult result;
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start()) {
            kafka.createTopics();
            result = new EosRun(settings).run(kafka.bootstrapServers(), home, Files.createDirectories(workDir));
        }
        System.out.print(result.summary());
        System.exit(result.passed() ? 0 : 1);
    }
}
