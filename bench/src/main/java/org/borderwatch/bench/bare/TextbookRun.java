package org.borderwatch.bench.bare;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.common.TopicPartition;
import org.borderwatch.bench.catchup.CatchUpRun;
import org.borderwatch.bench.catchup.Progress;
import org.borderwatch.bench.kafka.ClusterOffsets;
import org.borderwatch.bench.process.ChildJvm;
import org.borderwatch.bench.process.MachineCpu;
import org.borderwatch.bench.process.ProcessCpu;
import org.borderwatch.bench.process.ProcessMemory;
import org.borderwatch.schemas.Topics;

/**
 * One of the {@link TextbookApps} on the backlog, in a JVM of its own with the aggregator's heap, from offset zero
 * in a fresh application id, measured exactly as the aggregator is ({@link CatchUpRun}): its group's committed
 * offsets sampled every 200 ms until they reach the end of the input topics.
 */
public final class TextbookRun {

    /** The textbook applications' shared output topic (created by the harness; 6 partitions). */
    public static final String OUTPUT = "bench.textbook-counts";

    private static final Duration SAMPLE_EVERY = Duration.ofMillis(200);
    private static final double SLOWEST_EVENTS_PER_SECOND = 2_000;

    /** @param kind {@code single} or {@code three} */
    public record Result(String kind, String applicationId, Progress progress, OptionalLong peakHeap,
                         OptionalLong peakRss) {
    }

    private TextbookRun() {
    }

    public static Result run(final String kind, final String bootstrapServers, final long events, final String heap,
                             final long commitIntervalMs, final int streamThreads, final Path dir) {
        final String applicationId = "bench-textbook-" + kind + "-" + UUID.randomUUID().toString().substring(0, 8);
        final List<CatchUpRun.Sample> samples = new CopyOnWriteArrayList<>();
        final long self = ProcessHandle.current().pid();
        try (ClusterOffsets offsets = new ClusterOffsets(bootstrapServers);
             ChildJvm app = ChildJvm.start(applicationId, heap, TextbookApps.class.getName(), List.of(kind,
                     bootstrapServers, applicationId, dir.resolve(applicationId + "-state").toString(), OUTPUT,
                     Long.toString(commitIntervalMs), Integer.toString(streamThreads)), dir, line -> { })) {
            final List<TopicPartition> inputs = offsets.partitions(List.of(Topics.INCIDENTS.name(),
                    Topics.SEIZURES.name()));
            await("the " + kind + "-window textbook app commits all " + events + " input records")
                    .atMost(Duration.ofSeconds(120 + (long) (events / SLOWEST_EVENTS_PER_SECOND)))
                    .pollInterval(SAMPLE_EVERY)
                    .until(() -> {
                        if (!app.isAlive()) {
                            throw new IllegalStateException("the textbook app exited; see " + dir.resolve(
                                    applicationId + ".log"));
                        }
                        final long pid = app.pid();
                        final CatchUpRun.Sample sample = new CatchUpRun.Sample(System.nanoTime(),
                                offsets.committedTotal(applicationId, inputs), ProcessMemory.rss(pid).orElse(0),
                                ProcessCpu.seconds(pid).orElse(0), ProcessCpu.seconds(self).orElse(0),
                                MachineCpu.now().busy());
                        samples.add(sample);
                        return sample.committed() >= events;
                    });
            final Progress progress = Progress.of(events, app.startedNanos(), samples);
            final ChildJvm.Ended ended = app.stop(Duration.ofSeconds(30));
            return new Result(kind, applicationId, progress, ended.peakHeap(), ended.peakRss());
        }
    }
}
