package org.borderwatch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.borderwatch.bench.pipeline.Pipeline;
import org.borderwatch.bench.process.BenchLogging;
import org.borderwatch.bench.scaleout.ScaleOutRun;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.borderwatch.kafka.embedded.Security;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Scale-out, measured: a secured three-broker embedded cluster (SASL_SSL, SCRAM, ACLs, replication factor 3,
 * min.insync.replicas 2) on 127.0.0.1, ingest, two aggregator and two alert instances as child processes, each
 * service as its own principal; runs the {@link ScaleOutRun} scenarios and prints one line of figures per scenario.
 * Exits 0 when every scenario held, 1 when not, 2 on a wrong command line (picocli). See the README.
 */
@Command(name = "scaleout", mixinStandardHelpOptions = true,
        description = "Two aggregator and two alert instances on a secured three-broker cluster: queries, webhooks"
                + " once, SSE resume across instances, failover times.")
public final class ScaleOut implements Callable<Integer> {

    @Option(names = "--standby", defaultValue = "1",
            description = "num.standby.replicas of the aggregators, 0 or 1 (default: ${DEFAULT-VALUE})")
    private int standby;

    @Option(names = "--session-timeout", defaultValue = "10",
            description = "Consumer session timeout in seconds, 6-300 (default: ${DEFAULT-VALUE})")
    private long sessionTimeoutSeconds;

    @Option(names = "--work-dir", defaultValue = "bench/target/scaleout",
            description = "Logs in run-*/ (default: ${DEFAULT-VALUE})")
    private Path workDir;

    @Spec
    private CommandSpec spec;

    public static void main(final String[] args) {
        BenchLogging.quietUnlessConfigured();
        System.exit(new CommandLine(new ScaleOut()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        if (standby < 0 || standby > 1) {
            throw new ParameterException(spec.commandLine(), "--standby must be 0 or 1 with two aggregator instances");
        }
        if (sessionTimeoutSeconds < 6 || sessionTimeoutSeconds > 300) {
            throw new ParameterException(spec.commandLine(), "--session-timeout must be between 6 (the broker's"
                    + " group.min.session.timeout.ms) and 300 seconds");
        }
        final Duration sessionTimeout = Duration.ofSeconds(sessionTimeoutSeconds);
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
        return failed == 0 ? 0 : 1;
    }
}
