package org.borderwatch.bench.baseline;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.borderwatch.bench.catchup.CatchUpRun;
import org.borderwatch.bench.catchup.Progress;
import org.borderwatch.bench.kafka.ClusterOffsets;
import org.borderwatch.bench.process.ProcessCpu;
import org.borderwatch.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link SingleWindowApp} as its own JVM (same {@code -Xmx} as the aggregator, the bench's classpath) on the
 * backlog, from offset zero in a fresh group, and measures it exactly as {@link CatchUpRun} measures the
 * aggregator: committed offsets sampled every 200 ms until they reach the end of the input topics.
 *
 * @param cores the cores the app kept busy from its first commit to caught up
 */
public record BaselineRun(String applicationId, Progress progress, double cores, Path log) {

    private static final Logger LOG = LoggerFactory.getLogger(BaselineRun.class);
    private static final Duration SAMPLE_EVERY = Duration.ofMillis(200);

    public static BaselineRun run(final String bootstrapServers, final Path runDir, final long events,
                                  final String heap) {
        final String applicationId = "borderwatch-baseline-" + UUID.randomUUID().toString().substring(0, 8);
        final Path stateDir = runDir.resolve(applicationId + "-state");
        final Path log = runDir.resolve(applicationId + ".log");
        createOutputTopic(bootstrapServers, applicationId);
        final List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-cp", System.getProperty("java.class.path"), SingleWindowApp.class.getName(),
                bootstrapServers, applicationId, stateDir.toString());
        final Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot start " + SingleWindowApp.class.getName(), e);
        }
        final List<CatchUpRun.Sample> samples = new CopyOnWriteArrayList<>();
        final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        try (ClusterOffsets progress = new ClusterOffsets(bootstrapServers)) {
            final List<TopicPartition> inputs = progress.partitions(
                    List.of(Topics.INCIDENTS.name(), Topics.SEIZURES.name()));
            sampler.scheduleAtFixedRate(() -> {
                try {
                    samples.add(new CatchUpRun.Sample(System.nanoTime(),
                            progress.committedTotal(applicationId, inputs), 0,
                            ProcessCpu.seconds(process.pid()).orElse(0), 0, 0));
                } catch (final RuntimeException e) {
                    // The next tick tries again; a scheduled task that throws would stop for good.
                }
            }, 0, SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            await("the baseline application commits all " + events + " input records")
                    .atMost(Duration.ofSeconds(120 + (long) (events / CatchUpRun.SLOWEST_EVENTS_PER_SECOND)))
                    .pollInterval(SAMPLE_EVERY)
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("the baseline application exited; see " + log);
                        }
                        final long committed = samples.isEmpty() ? 0 : samples.get(samples.size() - 1).committed();
                        if (samples.size() % 10 == 0) {
                            LOG.info("bare app: committed {} of {} input records", committed, events);
                        }
                        return committed >= events;
                    });
            sampler.shutdownNow();
            final Progress result = Progress.of(samples, events);
            final double cores = (result.done().aggregatorCpu() - result.firstCommit().aggregatorCpu())
                    / result.seconds();
            return new BaselineRun(applicationId, result, cores, log);
        } finally {
            sampler.shutdownNow();
            process.destroy();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
            try {
                Utils.delete(stateDir.toFile());
            } catch (final IOException e) {
                // A leftover state directory under the run directory costs disk only; the figures stand.
            }
        }
    }

    private static void createOutputTopic(final String bootstrapServers, final String applicationId) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(SingleWindowApp.outputTopic(applicationId),
                    Topics.INCIDENTS.partitions(), (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (final Exception e) {
            throw new IllegalStateException("cannot create the baseline's output topic", e);
        }
    }
}
