package org.borderwatch.bench.catchup;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.borderwatch.bench.kafka.ClusterOffsets;
import org.borderwatch.bench.kafka.TopicReader;
import org.borderwatch.bench.process.AggregatorLauncher;
import org.borderwatch.bench.process.AggregatorOptions;
import org.borderwatch.launcher.ServiceProcess;
import org.borderwatch.bench.process.HeapFigures;
import org.borderwatch.bench.process.Jcmd;
import org.borderwatch.bench.process.MachineCpu;
import org.borderwatch.bench.process.ProcessCpu;
import org.borderwatch.bench.process.ProcessMemory;
import org.borderwatch.bench.process.ThreadCpu;
import org.borderwatch.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the aggregator service on a backlog, from offset zero, in a new group (a fresh application id and state
 * directory, exactly-once as configured by the service), and measures how fast its committed offsets reach the end
 * offsets of the input topics. Samples every 200 ms: committed offsets ({@code Admin#listConsumerGroupOffsets}),
 * the aggregator's resident memory and the CPU time of the aggregator and of this JVM (which hosts the broker);
 * every 2 s the heap from its {@code /prometheus}. The peak resident set is the kernel's high-water mark.
 */
public final class CatchUpRun {

    private static final Logger LOG = LoggerFactory.getLogger(CatchUpRun.class);
    private static final Duration SAMPLE_EVERY = Duration.ofMillis(200);
    private static final Duration SCRAPE_EVERY = Duration.ofSeconds(2);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    /**
     * Generous: a backlog consumed at 500 events/s still finishes within it (a 2-core box shared with seven builds
     * ran the bare app at 1,500 events/s; a limit at 5,000 cut such runs off without a figure).
     */
    public static final double SLOWEST_EVENTS_PER_SECOND = 500;

    /** One sample of progress and resources; CPU in seconds since each process started. */
    public record Sample(long nanos, long committed, long rss, double aggregatorCpu, double brokerCpu,
                         double machineBusy) {
    }

    /**
     * @param startNanos  when the aggregator process was started
     * @param firstCommit the first sample with input committed; the catch-up rate is measured from it
     * @param done        the first sample with every input record committed
     */
    public record Result(String applicationId, Map<String, String> env, String heap, long events, long startNanos,
                         Sample firstCommit, Sample done, List<Sample> samples, OptionalLong peakRss,
                         OptionalLong peakHeapGcLog, OptionalLong committedHeapGcLog, OptionalLong peakHeapSampled,
                         OptionalDouble duplicatesCounted, long lateEvents, long deadLetters,
                         Map<String, Double> threadCpu, Path log, Path recording) {

        /** The committed offsets over time: catch-up rate, best 5 s, timeline. */
        public Progress progress() {
            return new Progress(firstCommit, done, samples);
        }

        /** Events per second from the first commit to the last: the steady catch-up rate. */
        public double catchUpRate() {
            return progress().catchUpRate();
        }

        /** Events per second from the process start: JVM start, Micronaut, group join and restore included. */
        public double endToEndRate() {
            return events / ((done.nanos() - startNanos) / 1e9);
        }

        /** Events per second in consecutive stretches of {@code seconds}, from the first commit. */
        public List<Double> timeline(final int seconds) {
            return progress().timeline(seconds);
        }

        /** Highest rate over any 5 s stretch. */
        public double peakRate() {
            return progress().peakRate();
        }

        /**
         * Cores kept busy during the catch-up: {@code [aggregator, this JVM with the broker, every other process on
         * the machine]}.
         */
        public double[] coresBusy() {
            final double seconds = (done.nanos() - firstCommit.nanos()) / 1e9;
            final double aggregator = (done.aggregatorCpu() - firstCommit.aggregatorCpu()) / seconds;
            final double broker = (done.brokerCpu() - firstCommit.brokerCpu()) / seconds;
            final double machine = (done.machineBusy() - firstCommit.machineBusy()) / seconds;
            return new double[] {aggregator, broker, Math.max(0, machine - aggregator - broker)};
        }
    }

    private CatchUpRun() {
    }

    /**
     * @param env           more service configuration (environment variables), e.g. its stream threads
     * @param jfr           whether to record the catch-up (first commit to caught up) with JFR, {@code settings=profile}
     */
    public static Result run(final String bootstrapServers, final AggregatorLauncher launcher, final Path runDir,
                             final long events, final String heap, final Map<String, String> env,
                             final boolean jfr) {
        final String applicationId = "borderwatch-catchup-" + UUID.randomUUID().toString().substring(0, 8);
        final Path gcLog = runDir.resolve(applicationId + "-gc.log");
        final Path recording = runDir.resolve(applicationId + ".jfr");
        final Path stateDir = runDir.resolve(applicationId + "-state");
        final List<String> jvmArgs = List.of(HeapFigures.gcLogOption(gcLog));
        final long selfPid = ProcessHandle.current().pid();
        final List<Sample> samples = new CopyOnWriteArrayList<>();
        final AtomicLong peakHeapSampled = new AtomicLong(-1);
        final ScheduledExecutorService sampler = Executors.newScheduledThreadPool(2);
        try (ClusterOffsets progress = new ClusterOffsets(bootstrapServers);
             ServiceProcess aggregator = launcher.start(new AggregatorOptions(bootstrapServers, applicationId,
                     stateDir, heap, jvmArgs, env))) {
            final List<TopicPartition> inputs = progress.partitions(
                    List.of(Topics.INCIDENTS.name(), Topics.SEIZURES.name()));
            final long pid = aggregator.pid();
            sampler.scheduleAtFixedRate(logged(() -> samples.add(new Sample(System.nanoTime(),
                            progress.committedTotal(applicationId, inputs), ProcessMemory.rss(pid).orElse(0),
                            ProcessCpu.seconds(pid).orElse(0), ProcessCpu.seconds(selfPid).orElse(0),
                            MachineCpu.now().busy()))),
                    0, SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            sampler.scheduleAtFixedRate(logged(() -> aggregator.get("prometheus").map(HeapFigures::heapUsed)
                            .filter(OptionalLong::isPresent)
                            .ifPresent(used -> peakHeapSampled.accumulateAndGet(used.getAsLong(), Math::max))),
                    SCRAPE_EVERY.toMillis(), SCRAPE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            final AtomicLong lastLogged = new AtomicLong(System.nanoTime());
            final AtomicReference<Map<Long, Double>> threadsAtFirstCommit = new AtomicReference<>();
            await("the aggregator commits all " + events + " input records")
                    .atMost(Duration.ofSeconds(900 + (long) (events / SLOWEST_EVENTS_PER_SECOND)))
                    .pollInterval(SAMPLE_EVERY)
                    .until(() -> {
                        if (!aggregator.isAlive()) {
                            throw new IllegalStateException("the aggregator exited; see " + aggregator.log());
                        }
                        final Sample last = samples.isEmpty() ? null : samples.get(samples.size() - 1);
                        if (last != null && last.committed() > 0 && threadsAtFirstCommit.get() == null) {
                            threadsAtFirstCommit.set(ThreadCpu.snapshot(pid));
                            if (jfr) {
                                // Record the catch-up only, not the JVM's start and Micronaut's.
                                Jcmd.run(pid, "JFR.start", "name=catchup", "settings=profile");
                            }
                        }
                        if (last != null && System.nanoTime() - lastLogged.get() > 2e9) {
                            lastLogged.set(System.nanoTime());
                            LOG.info("committed {} of {} input records", last.committed(), events);
                        }
                        return last != null && last.committed() >= events;
                    });
            final Map<String, Double> threadCpu = ThreadCpu.byKind(pid, threadsAtFirstCommit.get(),
                    ThreadCpu.snapshot(pid));
            if (jfr) {
                Jcmd.run(pid, "JFR.stop", "name=catchup", "filename=" + recording.toAbsolutePath());
            }
            final OptionalLong peakRss = ProcessMemory.peakRss(pid);
            final OptionalDouble duplicates = aggregator.get("prometheus")
                    .map(text -> HeapFigures.metric(text, "borderwatch_aggregator_duplicate_events_total"))
                    .orElse(OptionalDouble.empty());
            sampler.shutdownNow();
            aggregator.stop(STOP_TIMEOUT);
            // Hundreds of MB of RocksDB per run, and only a cache of the changelogs: logs and recordings stay.
            deleteQuietly(stateDir);
            final Progress committed = Progress.of(samples, events);
            return new Result(applicationId, Map.copyOf(env), heap, events,
                    aggregator.startedNanos(), committed.firstCommit(), committed.done(), committed.samples(), peakRss, HeapFigures.peakFromGcLog(gcLog),
                    HeapFigures.committedFromGcLog(gcLog),
                    peakHeapSampled.get() < 0 ? OptionalLong.empty() : OptionalLong.of(peakHeapSampled.get()),
                    duplicates, count(bootstrapServers, Topics.LATE_EVENTS.name()),
                    count(bootstrapServers, Topics.DEADLETTER.name()), threadCpu, aggregator.log(),
                    jfr ? recording : null);
        } finally {
            sampler.shutdownNow();
        }
    }

    /** A failing sample is logged and the next one taken; a scheduled task that throws would stop for good. */
    private static Runnable logged(final Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (final RuntimeException e) {
                LOG.warn("Sampling failed, trying again at the next tick: {}", e.getMessage());
            }
        };
    }

    private static void deleteQuietly(final Path dir) {
        try {
            Utils.delete(dir.toFile());
        } catch (final IOException e) {
            LOG.warn("Could not delete the aggregator's state directory {}; delete it by hand", dir, e);
        }
    }

    private static long count(final String bootstrapServers, final String topic) {
        try (TopicReader reader = new TopicReader(bootstrapServers, topic, IsolationLevel.READ_COMMITTED,
                record -> { })) {
            reader.readToEnd();
            return reader.records();
        }
    }
}
