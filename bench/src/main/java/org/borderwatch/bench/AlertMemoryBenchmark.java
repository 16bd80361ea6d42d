package org.borderwatch.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.borderwatch.bench.alertmemory.AlertHistory;
import org.borderwatch.bench.pipeline.Credentials;
import org.borderwatch.bench.process.HeapFigures;
import org.borderwatch.bench.process.Jcmd;
import org.borderwatch.bench.process.ProcessMemory;
import org.borderwatch.credentials.SecretKeyRing;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.borderwatch.launcher.Service;
import org.borderwatch.launcher.ServiceLauncher;
import org.borderwatch.launcher.ServiceProcess;
import org.borderwatch.schemas.Topics;
import org.borderwatch.testkit.SseClient;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code borderwatch bench alert-memory}: whether an alert instance's memory and start-up stay bounded as the alert log grows. For a baseline log
 * ({@code --baseline} changes, 10,000) and a long one ({@code --changes}, 1,000,000), each on its own embedded broker
 * in the same run: writes the history straight to Kafka ({@link AlertHistory}), starts the packaged alert service as
 * a child JVM, and measures start-up to ready ({@code /health} 200), used heap after start and after a full GC
 * ({@code jcmd GC.run}), resident memory, what the service holds (its {@code borderwatch_alert_memory_*} gauges),
 * and an SSE resume from an old position ({@code --resume-at}, a fraction of each partition, far before the
 * in-memory tail): time to the first event and to {@code --resume-events} events. Prints both and their ratio. A
 * measurement, not a test: exits 0 whatever the figures, 1 when the service did not get ready or the resume
 * delivered nothing, 2 on a wrong option.
 */
@Command(name = "alert-memory", mixinStandardHelpOptions = true,
        description = "An alert service in front of 1,000,000 alert changes and of 10,000: start-up, heap, RSS,"
                + " what it holds, SSE resume from an old position.")
public final class AlertMemoryBenchmark implements Callable<Integer> {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration RESUME_TIMEOUT = Duration.ofMinutes(2);

    @Option(names = "--changes", defaultValue = "1000000", description = "Changes in the long log (default: ${DEFAULT-VALUE})")
    long changes;

    @Option(names = "--baseline", defaultValue = "10000", description = "Changes in the baseline log (default: ${DEFAULT-VALUE})")
    long baseline;

    @Option(names = "--heap", defaultValue = "512m", description = "The alert service's -Xmx (default: ${DEFAULT-VALUE})")
    String heap;

    @Option(names = "--resume-at", defaultValue = "0.1", description = "Resume from this fraction of every partition, in [0, 1) (default: ${DEFAULT-VALUE})")
    double resumeAt;

    @Option(names = "--resume-events", defaultValue = "5000", description = "Events the resume is timed to (default: ${DEFAULT-VALUE})")
    int resumeEvents;

    @Option(names = "--span-days", defaultValue = "90", description = "The history's time span up to now (default: ${DEFAULT-VALUE})")
    long spanDays;

    @Option(names = "--work-dir", defaultValue = "bench/target/alert-memory", description = "Logs in run-*/ (default: ${DEFAULT-VALUE})")
    Path workDir;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (changes < 100 || baseline < 100 || resumeAt < 0 || resumeAt >= 1 || resumeEvents < 1 || spanDays < 1
                || !heap.matches("\\d+[kmgKMG]?")) {
            System.err.println("alert-memory: --changes and --baseline at least 100, --resume-at in [0, 1),"
                    + " --resume-events and --span-days at least 1, --heap like 512m");
            return 2;
        }
        final Path runDir = Files.createTempDirectory(Files.createDirectories(workDir), "run-");
        final List<Figures> figures = new ArrayList<>();
        for (final long size : List.of(baseline, changes)) {
            figures.add(measure(size, runDir));
        }
        print(System.out, figures, runDir);
        return figures.stream().allMatch(f -> f.startupSeconds() >= 0 && f.resumeEvents() > 0) ? 0 : 1;
    }

    /** The figures of one log size. */
    record Figures(long changes, int alerts, int firing, double writeSeconds, double startupSeconds,
                   double logLoadedSeconds, long heapAfterStart, long heapAfterGc, long rssAfterStart, long peakRss,
                   double heldAlerts, double heldChanges, double firstEventMs, double resumeMs, int resumeEvents, String resumeFrom,
                   long rssAfterResume, long heapAfterResumeGc) {
    }

    private Figures measure(final long changes, final Path runDir) throws IOException, InterruptedException {
        final Path dir = runDir.resolve(Long.toString(changes));
        final String applicationId = "bench-alert-lifecycle-" + UUID.randomUUID().toString().substring(0, 8);
        // Kafka Streams names a store's changelog <application.id>-<store>-changelog; the store is "alert-state".
        final String changelog = applicationId + "-alert-state-changelog";
        System.out.printf("%,d changes: writing the alert log ...%n", changes);
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0)
                .dataDir(dir.resolve("kafka")).build().start()) {
            kafka.createTopics();
            AlertHistory.createChangelog(kafka.bootstrapServers(), changelog);
            final AlertHistory.Written written = AlertHistory.write(kafka.bootstrapServers(), changelog, changes,
                    Duration.ofDays(spanDays));
            System.out.printf("  %,d changes of %,d alerts (%,d firing) written in %.1f s; starting the alert"
                    + " service ...%n", written.changes(), written.alerts(), written.firing(), written.seconds());
            final Credentials credentials = Credentials.write(Files.createDirectories(dir));
            final ServiceLauncher launcher = ServiceLauncher.of(Service.ALERT, Service.ALERT.defaultHome(), dir,
                    credentials.file());
            final Map<String, String> env = new LinkedHashMap<>();
            env.put("BORDERWATCH_ALERT_LIFECYCLE_APPLICATION_ID", applicationId);
            env.put("BORDERWATCH_ALERT_WEBHOOKS_GROUP_ID", "bench-alert-webhooks-" + applicationId);
            env.put("KAFKA_STREAMS_STATE_DIR", dir.resolve("alert-state").toString());
            // The service refuses to start without a webhook-secret key; this run's own, in its directory.
            env.put(SecretKeyRing.ENV, SecretKeyRing.ensureFile(dir.resolve("secret-keys")));
            final Path gcLog = dir.resolve("alert-gc.log");
            try (ServiceProcess alert = launcher.start(kafka.bootstrapServers(), heap,
                    List.of(HeapFigures.gcLogOption(gcLog)), env)) {
                final boolean ready = alert.awaitHealthy(READY_TIMEOUT);
                final double startup = ready ? (System.nanoTime() - alert.startedNanos()) / 1e9 : -1;
                final double logLoaded = logLoadedSeconds(alert.log());
                if (!ready) {
                    System.out.printf("  the alert service did not get ready within %s; see %s%n", READY_TIMEOUT,
                            alert.log());
                    return new Figures(changes, written.alerts(), written.firing(), written.seconds(), -1, -1, -1,
                            -1, -1, -1, -1, -1, -1, -1, 0, "", -1, -1);
                }
                final String afterStart = alert.get("prometheus").orElse("");
                final long rssAfterStart = ProcessMemory.rss(alert.pid()).orElse(-1);
                final long heapAfterGc = heapAfterGc(alert);
                final double heldAlerts = HeapFigures.metric(afterStart, "borderwatch_alert_memory_alerts").orElse(-1);
                final double heldChanges = HeapFigures.metric(afterStart, "borderwatch_alert_memory_changes")
                        .orElse(-1);
                final String from = oldPosition(written.endOffsets(), resumeAt);
                final Resume resume = resume(alert, credentials.opsKey(), from, resumeEvents);
                final long rssAfterResume = ProcessMemory.rss(alert.pid()).orElse(-1);
                final long heapAfterResumeGc = heapAfterGc(alert);
                final long peakRss = ProcessMemory.peakRss(alert.pid()).orElse(-1);
                alert.stop(Duration.ofSeconds(15));
                return new Figures(changes, written.alerts(), written.firing(), written.seconds(), startup, logLoaded,
                        HeapFigures.heapUsed(afterStart).orElse(-1), heapAfterGc, rssAfterStart, peakRss,
                        heldAlerts, heldChanges, resume.firstMs(), resume.allMs(), resume.events(), from,
                        rssAfterResume, heapAfterResumeGc);
            }
        }
    }

    /**
     * Seconds the alert log took to load, by the service log's own timestamps: from "Loading the alert log" until
     * both the current states ("Loaded … current alert states") and the tail ("Mirror of border.alerts.v1 caught
     * up") are in. The part of start-up that could grow with the log; the rest (JVM, Micronaut, the lifecycle
     * joining its group) does not read it.
     */
    static double logLoadedSeconds(final Path log) throws IOException {
        Instant loading = null;
        Instant states = null;
        Instant tail = null;
        for (final String line : Files.readAllLines(log)) {
            if (line.contains("Loading the alert log")) {
                loading = Instant.parse(line.substring(0, line.indexOf(' ')));
            } else if (line.contains("current alert states from") && line.contains("Loaded")) {
                states = Instant.parse(line.substring(0, line.indexOf(' ')));
            } else if (line.contains("Mirror of " + Topics.ALERTS.name() + " caught up")) {
                tail = Instant.parse(line.substring(0, line.indexOf(' ')));
            }
        }
        if (loading == null || states == null || tail == null) {
            return -1;
        }
        return Duration.between(loading, states.isAfter(tail) ? states : tail).toMillis() / 1e3;
    }

    private static long heapAfterGc(final ServiceProcess alert) {
        Jcmd.run(alert.pid(), "GC.run");
        return HeapFigures.heapUsed(alert.get("prometheus").orElse("")).orElse(-1);
    }

    /** {@code fraction} of the way into every partition: an SSE id far older than anything held in memory. */
    static String oldPosition(final Map<Integer, Long> endOffsets, final double fraction) {
        final StringBuilder id = new StringBuilder();
        for (int p = 0; p < Topics.ALERTS.partitions(); p++) {
            id.append(p == 0 ? "" : ".").append((long) (endOffsets.getOrDefault(p, 0L) * fraction));
        }
        return id.toString();
    }

    private record Resume(double firstMs, double allMs, int events) {
    }

    private static Resume resume(final ServiceProcess alert, final String key, final String from, final int wanted)
            throws InterruptedException {
        final AtomicInteger received = new AtomicInteger();
        final AtomicLong first = new AtomicLong(-1);
        final AtomicLong last = new AtomicLong(-1);
        final java.util.concurrent.CountDownLatch enough = new java.util.concurrent.CountDownLatch(1);
        final long opened = System.nanoTime();
        try (SseClient stream = SseClient.subscribe(URI.create(alert.baseUri() + "/v1/alerts/stream?lastEventId="
                + from), key, event -> {
                    if (!"alert".equals(event.event())) {
                        return;
                    }
                    first.compareAndSet(-1, event.receivedNanos());
                    if (received.incrementAndGet() == wanted) {
                        last.set(event.receivedNanos());
                        enough.countDown();
                    }
                })) {
            enough.await(RESUME_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new Resume(first.get() < 0 ? -1 : (first.get() - opened) / 1e6,
                    last.get() < 0 ? -1 : (last.get() - opened) / 1e6, received.get());
        }
    }

    private void print(final PrintStream out, final List<Figures> figures, final Path runDir) {
        final Figures base = figures.get(0);
        final Figures big = figures.get(1);
        out.printf("%nborderwatch alert memory (%d cores, Java %s, alert service -Xmx%s), logs in %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), heap,
                runDir);
        out.printf("%-44s %16s %16s %8s%n", "figure", String.format("%,d changes", base.changes()),
                String.format("%,d changes", big.changes()), "ratio");
        row(out, "alerts in the log (firing at the end)", String.format("%,d (%,d)", base.alerts(), base.firing()),
                String.format("%,d (%,d)", big.alerts(), big.firing()), big.alerts() / (double) base.alerts());
        row(out, "start-up to ready (s)", base.startupSeconds(), big.startupSeconds(), "%.2f");
        row(out, "  of it: loading the alert log (s)", base.logLoadedSeconds(), big.logLoadedSeconds(), "%.2f");
        row(out, "heap used after start (MB)", mb(base.heapAfterStart()), mb(big.heapAfterStart()), "%.1f");
        row(out, "heap used after full GC (MB)", mb(base.heapAfterGc()), mb(big.heapAfterGc()), "%.1f");
        row(out, "RSS after start (MB)", mb(base.rssAfterStart()), mb(big.rssAfterStart()), "%.0f");
        row(out, "alert states held", base.heldAlerts(), big.heldAlerts(), "%.0f");
        row(out, "changes held (tail)", base.heldChanges(), big.heldChanges(), "%.0f");
        row(out, "SSE resume: first event (ms)", base.firstEventMs(), big.firstEventMs(), "%.0f");
        row(out, String.format("SSE resume: %,d events (ms)", resumeEvents), base.resumeMs(),
                big.resumeMs(), "%.0f");
        row(out, "heap after resume, full GC (MB)", mb(base.heapAfterResumeGc()), mb(big.heapAfterResumeGc()),
                "%.1f");
        row(out, "RSS after resume (MB)", mb(base.rssAfterResume()), mb(big.rssAfterResume()), "%.0f");
        row(out, "peak RSS (MB)", mb(base.peakRss()), mb(big.peakRss()), "%.0f");
        out.printf("resumed from %s (%.0f %% into each partition) and %s; events received %d and %d%n",
                base.resumeFrom(), resumeAt * 100, big.resumeFrom(), base.resumeEvents(),
                big.resumeEvents());
        out.printf("writing the log took %.1f s and %.1f s%n", base.writeSeconds(), big.writeSeconds());
    }

    private static double mb(final long bytes) {
        return bytes < 0 ? -1 : bytes / (1024.0 * 1024.0);
    }

    private static void row(final PrintStream out, final String name, final double base, final double big,
                            final String format) {
        row(out, name, base < 0 ? "n/a" : String.format(format, base), big < 0 ? "n/a" : String.format(format, big),
                base > 0 && big >= 0 ? big / base : Double.NaN);
    }

    private static void row(final PrintStream out, final String name, final String base, final String big,
                            final double ratio) {
        out.printf("%-44s %16s %16s %8s%n", name, base, big, Double.isNaN(ratio) ? "n/a"
                : String.format("%.2fx", ratio));
    }
}
