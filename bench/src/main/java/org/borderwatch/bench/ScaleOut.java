package org.borderwatch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    private static final String USAGE = "usage: ScaleOut [--standby 0|1 (1)] [--session-timeout SECONDS, 6-300 (10)]"
            + " [--work-dir DIR (bench/target/scaleout)]";

    private ScaleOut() {
    }

    public static void main(final String[] args) throws IOException {
        final int standby;
        final Duration sessionTimeout;
        final Path workDir;
        try {
            final Map<String, String> options = options(args);
            standby = number(options, "standby", 1, 0, 1);
            sessionTimeout = Duration.ofSeconds(number(options, "session-timeout", 10, 6, 300));
            workDir = Path.of(options.getOrDefault("work-dir", "bench/target/scaleout"));
        } catch (final IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
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

    /** {@code --name value} pairs of the known options; anything else is refused. */
    private static Map<String, String> options(final String[] args) {
        final Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            final String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (!Set.of("standby", "session-timeout", "work-dir").contains(name)) {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            options.put(name, args[i + 1]);
        }
        return options;
    }

    private static int number(final Map<String, String> options, final String name, final int fallback,
                              final int min, final int max) {
        final String text = options.get(name);
        if (text == null) {
            return fallback;
        }
        try {
            final int value = Integer.parseInt(text);
            if (value < min || value > max) {
                throw new IllegalArgumentException("--" + name + " must be between " + min + " and " + max);
            }
            return value;
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, was " + text, e);
        }
    }
}
