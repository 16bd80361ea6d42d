package org.borderwatch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.borderwatch.bench.pipeline.Pipeline;
import org.borderwatch.bench.scaleout.ScaleOutRun;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.borderwatch.kafka.embedded.Security;

/**
 * Scale-out, measured: a secured three-broker embedded cluster (SASL_SSL, SCRAM, ACLs, replication factor 3,
 * min.insync.replicas 2) on 127.0.0.1, ingest, two aggregator and two alert instances as child processes, each
 * service as its own principal; runs the {@link ScaleOutRun} scenarios and prints one line of figures per scenario.
 * Exits 0 when every scenario held, 1 when not, 2 on a wrong command line. See the README for the options.
 */
public final class ScaleOut {

    private static final String USAGE = "usage: ScaleOut [--standby N (1)] [--session-timeout SECONDS (10)]"
            + " [--work-dir DIR (bench/target/scaleout)]";

    private ScaleOut() {
    }

    public static void main(final String[] args) throws IOException {
        final int standby;
        final Duration sessionTimeout;
        final Path workDir;
        try {
            final CommandLine line = CommandLine.parse(args, Set.of("standby", "session-timeout", "work-dir"),
                    Set.of(), USAGE);
            standby = (int) line.number("standby", 1);
            sessionTimeout = Duration.ofSeconds(line.number("session-timeout", 10));
            workDir = Path.of(line.text("work-dir", "bench/target/scaleout"));
            if (standby < 0 || standby > 1) {
                throw new IllegalArgumentException("--standby must be 0 or 1 with two aggregator instances");
            }
            if (sessionTimeout.toSeconds() < 6 || sessionTimeout.toSeconds() > 300) {
                throw new IllegalArgumentException("--session-timeout must be between 6 (the broker's"
                        + " group.min.session.timeout.ms) and 300 seconds");
            }
        } catch (final CommandLine.UsageException | IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        final Path runDir = Files.createTempDirectory(Files.createDirectories(workDir), "run-");
        System.out.println("Scale-out on 3 SASL_SSL brokers: ingest, 2 aggregators (num.standby.replicas=" + standby
                + "), 2 alert instances; session timeout " + sessionTimeout.toSeconds() + " s; logs in " + runDir);
        final List<ScaleOutRun.Figures> figures = new ArrayList<>();
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().brokers(3).port(0)
                .security(Security.saslSsl()).build().start()) {
            kafka.createTopics();
            try (Pipeline pipeline = Pipeline.start(kafka, runDir, ScaleOutRun.deployment(standby, sessionTimeout),
                    2, 2);
                 ScaleOutRun run = new ScaleOutRun(pipeline, sessionTimeout.plusSeconds(90), System.out)) {
                run.subscribe();
                figures.add(run.queries());
                figures.add(run.webhooksOnce());
                figures.add(run.sseResume());
                figures.add(run.aggregatorFailover());
                figures.add(run.alertFailover());
                final int[] totals = run.webhookTotals();
                System.out.println("webhooks over the whole run: " + totals[0] + " received, " + totals[1]
                        + " distinct webhook-ids");
            }
        }
        final long failed = figures.stream().mapToLong(f -> f.problems().size()).sum();
        System.out.println(failed == 0 ? "PASSED: every scenario held" : "FAILED: " + failed + " problems above");
        System.exit(failed == 0 ? 0 : 1);
    }
}
