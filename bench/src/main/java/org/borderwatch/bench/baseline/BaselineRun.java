package org.borderwatch.bench.baseline;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.borderwatch.bench.catchup.CatchUpRun;
import org.borderwatch.bench.catchup.Progress;
import org.borderwatch.bench.kafka.ClusterOffsets;
import org.borderwatch.bench.process.ChildJvm;
import org.borderwatch.bench.process.ProcessCpu;
import org.borderwatch.schemas.Topics;

/**
 * Runs a textbook application ({@link SingleWindowApp} or {@link ThreeWindowApp}) as its own JVM (same {@code -Xmx}
 * as the aggregator, the bench's classpath) on the backlog, from offset zero in a fresh group, and measures it
 * exactly as {@link CatchUpRun} measures the aggregator: committed offsets sampled every 200 ms until they reach the
 * end of the input topics; with its peak heap (GC log) and peak RSS.
 *
 * @param cores the cores the app kept busy from its first commit to caught up
 */
public record BaselineRun(String applicationId, Progress progress, double cores, Path log, OptionalLong peakHeap,
                          OptionalLong peakRss) {

    private static final Duration SAMPLE_EVERY = Duration.ofMillis(200);
    private static final double SLOWEST_EVENTS_PER_SECOND = 2_000;

    /** @param app a class whose {@code main} takes {@code <bootstrap> <application.id> <state dir>} */
    public static BaselineRun run(final Class<?> app, final String bootstrapServers, final Path runDir,
                                  final long events, final String heap) {
        final String applicationId = "borderwatch-" + app.getSimpleName().toLowerCase() + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        final Path stateDir = runDir.resolve(applicationId + "-state");
        createOutputTopic(bootstrapServers, applicationId);
        final List<CatchUpRun.Sample> samples = new CopyOnWriteArrayList<>();
        try (ClusterOffsets offsets = new ClusterOffsets(bootstrapServers);
             ChildJvm process = ChildJvm.start(applicationId, heap, app.getName(),
                     List.of(bootstrapServers, applicationId, stateDir.toString()), runDir, line -> { })) {
            final List<TopicPartition> inputs = offsets.partitions(
                    List.of(Topics.INCIDENTS.name(), Topics.SEIZURES.name()));
            await("the " + app.getSimpleName() + " commits all " + events + " input records")
                    .atMost(Duration.ofSeconds(900 + (long) (events / SLOWEST_EVENTS_PER_SECOND)))
                    .pollInterval(SAMPLE_EVERY)
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException(app.getSimpleName() + " exited; see "
                                    + runDir.resolve(applicationId + ".log"));
                        }
                        final CatchUpRun.Sample sample = new CatchUpRun.Sample(System.nanoTime(),
                                offsets.committedTotal(applicationId, inputs), 0,
                                ProcessCpu.seconds(process.pid()).orElse(0), 0, 0);
                        samples.add(sample);
                        return sample.committed() >= events;
                    });
            final Progress result = Progress.of(samples, events);
            final double cores = (result.done().aggregatorCpu() - result.firstCommit().aggregatorCpu())
                    / result.seconds();
            final ChildJvm.Ended ended = process.stop(Duration.ofSeconds(60));
            return new BaselineRun(applicationId, result, cores, runDir.resolve(applicationId + ".log"),
                    ended.peakHeap(), ended.peakRss());
        } finally {
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
