package org.borderwatch.bench.eos;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.awaitility.core.ConditionTimeoutException;
import org.borderwatch.avro.LateEvent;
import org.borderwatch.bench.expected.Window;
import org.borderwatch.bench.kafka.ClusterOffsets;
import org.borderwatch.bench.kafka.InputPublisher;
import org.borderwatch.bench.kafka.TopicReader;
import org.borderwatch.bench.process.AggregatorLauncher;
import org.borderwatch.bench.process.AggregatorOptions;
import org.borderwatch.launcher.ServiceProcess;
import org.borderwatch.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once verification in the style of Apache Kafka's StreamsEosTest: a driver publishes a known input while
 * the real aggregator service runs as a child process and is killed hard (SIGKILL) and restarted several times; then
 * {@code read_committed} readers check that the last value of every aggregate key equals the figures computed
 * independently from the input (no loss, no double count), that each late report reached
 * {@code border.late-events.v1} once and each poison record {@code border.deadletter.v1} once.
 *
 * <pre>
 * publisher ──► incidents/seizures ──► aggregator #1 ✗ SIGKILL at 1/(k+1) of the input committed
 *   (paced over                         aggregator #2 ✗ SIGKILL at 2/(k+1)
 *    publishTime)                        …
 *                                       aggregator #k+1 runs to the end, then stops cleanly (SIGTERM)
 * verifier: group committed = end offsets; no open transaction; last values = expected; late and DLQ exactly once
 * </pre>
 *
 * Every incarnation shares the run's application id and state directory, like a pod restarted on its volume. The
 * service is given a short consumer session timeout (6 s, the broker's minimum), so the dead member of a killed
 * process leaves the group in seconds rather than 45 s; that only shortens the test, it changes no guarantee.
 */
public final class EosRun {

    private static final Logger LOG = LoggerFactory.getLogger(EosRun.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(45);
    private static final Duration PROCESSED_TIMEOUT = Duration.ofSeconds(240);
    private static final Duration CONVERGED_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration MAX_KILL_JITTER = Duration.ofMillis(300);

    /**
     * @param reports       distinct reports (duplicates, late reports and poison come on top)
     * @param kills         SIGKILLs, spread evenly over the input
     * @param duplicateRate share of reports published twice
     * @param lateReports   reports beyond the grace period
     * @param publishTime   how long publishing the input takes: the aggregator works, and is killed, meanwhile
     * @param heap          {@code -Xmx} of the aggregator
     * @param serviceEnv    more service configuration, as environment variables (a negative control:
     *                      {@code KAFKA_STREAMS_PROCESSING_GUARANTEE=at_least_once} must make the run fail)
     * @param everyPoison   nine kinds of poison record instead of three (see {@link EosInput})
     */
    public record Settings(int reports, int kills, double duplicateRate, int lateReports, Duration publishTime,
                           long seed, String heap, Map<String, String> serviceEnv, boolean everyPoison) {

        public Settings {
            if (reports < 100 || kills < 0 || duplicateRate < 0 || duplicateRate >= 1 || lateReports < 0) {
                throw new IllegalArgumentException("need at least 100 reports, kills >= 0, 0 <= duplicate rate < 1");
            }
            serviceEnv = Map.copyOf(serviceEnv);
        }
    }

    private final Settings settings;

    public EosRun(final Settings settings) {
        this.settings = settings;
    }

    /**
     * Runs against a broker whose topics exist. Every process started here is ended here.
     *
     * @param workDir the run writes its aggregator state directory and logs under {@code workDir/<application.id>}
     */
    public EosResult run(final String bootstrapServers, final Path aggregatorHome, final Path workDir) {
        final long started = System.nanoTime();
        final String applicationId = "borderwatch-eos-" + UUID.randomUUID().toString().substring(0, 8);
        final Path runDir = workDir.resolve(applicationId);
        final AggregatorLauncher launcher = AggregatorLauncher.of(aggregatorHome, runDir);
        final List<Window> windows = Window.parse(Window.DEFAULT_SPEC);
        final EosInput input = EosInput.generate(settings.reports(), settings.duplicateRate(),
                settings.lateReports(), settings.seed(), windows, Instant.now(), settings.everyPoison());
        final Map<String, String> env = new HashMap<>(Map.of(
                "BORDERWATCH_AGGREGATOR_WINDOWS", Window.DEFAULT_SPEC,
                "BORDERWATCH_AGGREGATOR_GRACE", "6h",
                "KAFKA_SESSION_TIMEOUT_MS", "6000",
                "KAFKA_HEARTBEAT_INTERVAL_MS", "1500"));
        env.putAll(settings.serviceEnv());
        final AggregatorOptions options = new AggregatorOptions(bootstrapServers, applicationId,
                runDir.resolve("state"), settings.heap(), List.of(), env);
        LOG.info("EOS run {}: {} records to publish over {} s ({} reports, {} duplicates, {} late, {} poison), {}"
                        + " kills; logs in {}", applicationId, input.items().size(), settings.publishTime().toSeconds(),
                settings.reports(), input.duplicates(), input.lateIds().size(), input.poison().size(),
                settings.kills(), runDir);

        final List<EosResult.Kill> kills = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        final Random jitter = new Random(settings.seed());
        int starts = 0;
        ServiceProcess aggregator = null;
        try (ClusterOffsets progress = new ClusterOffsets(bootstrapServers);
             InputPublisher publisher = new InputPublisher(bootstrapServers)) {
            final List<String> inputTopics = List.of(Topics.INCIDENTS.name(), Topics.SEIZURES.name());
            progress.awaitLeaders(inputTopics);
            final List<TopicPartition> inputPartitions = progress.partitions(inputTopics);
            final CompletableFuture<Void> publishing = CompletableFuture.runAsync(
                    () -> input.publish(publisher, settings.publishTime()));
            aggregator = launcher.start(options);
            starts++;

            // When: killed hard each time another 1/(k+1) of the input has been processed and committed.
            for (int kill = 1; kill <= settings.kills(); kill++) {
                final long threshold = (long) input.items().size() * kill / (settings.kills() + 1);
                final ServiceProcess running = aggregator;
                await("aggregator #" + running.number() + " commits " + threshold + " input records")
                        .atMost(settings.publishTime().plus(PROCESSED_TIMEOUT))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> alive(running) && progress.committedTotal(applicationId, inputPartitions)
                                >= threshold);
                // Spacing, not synchronisation: land the kill at a random point of the work in flight.
                TimeUnit.MILLISECONDS.sleep(jitter.nextInt((int) MAX_KILL_JITTER.toMillis()));
                final long committed = progress.committedTotal(applicationId, inputPartitions);
                final long published = progress.endTotal(inputPartitions);
                running.kill();
                kills.add(new EosResult.Kill(kill, running.pid(), Duration.ofNanos(System.nanoTime() - started),
                        committed, published));
                aggregator = launcher.start(options);
                starts++;
            }
            publishing.get(settings.publishTime().plus(PROCESSED_TIMEOUT).toSeconds(), TimeUnit.SECONDS);
            final long inputRecords = progress.endTotal(inputPartitions);

            // Then: the last incarnation processes everything, and the output settles on the expected values.
            final ServiceProcess last = aggregator;
            await("the group commits all " + inputRecords + " input records").atMost(PROCESSED_TIMEOUT)
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> alive(last) && progress.committedTotal(applicationId, inputPartitions)
                            >= inputRecords);
            try (LastValues output = new LastValues(bootstrapServers)) {
                try {
                    await("the aggregates equal the expected figures").atMost(CONVERGED_TIMEOUT)
                            .pollInterval(Duration.ofMillis(500))
                            .until(() -> {
                                output.poll();
                                return input.expected().compare(output.byKey()).isEmpty();
                            });
                } catch (final ConditionTimeoutException e) {
                    LOG.warn("The aggregates did not converge within {} s; the final check will say how they differ",
                            CONVERGED_TIMEOUT.toSeconds());
                }
                aggregator.stop(STOP_TIMEOUT);
                awaitNoOpenTransaction(progress);
                final long committed = progress.committedTotal(applicationId, inputPartitions);
                if (committed != inputRecords) {
                    problems.add("the group committed " + committed + " of " + inputRecords + " input records");
                }
                output.readToEnd();
                problems.addAll(input.expected().compare(output.byKey()));
                final long aborted = countAll(bootstrapServers) - output.records();
                final int lateRead = checkLateEvents(bootstrapServers, input, problems);
                final int deadRead = checkDeadLetters(bootstrapServers, input, problems);
                final EosResult result = new EosResult(applicationId, inputRecords, settings.reports(),
                        input.duplicates(), input.lateIds().size(), input.poison().size(), kills, starts,
                        input.expected().byKey().size(), output.records(), aborted, lateRead, deadRead,
                        Duration.ofNanos(System.nanoTime() - started), problems);
                LOG.info("\n{}", result.summary());
                return result;
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("publishing the input failed: " + e.getMessage(), e);
        } finally {
            if (aggregator != null) {
                aggregator.close();
            }
        }
    }

    private static boolean alive(final ServiceProcess aggregator) {
        if (!aggregator.isAlive()) {
            throw new IllegalStateException("aggregator #" + aggregator.number() + " (pid " + aggregator.pid()
                    + ") exited by itself; see " + aggregator.log());
        }
        return true;
    }

    /** A killed producer's transaction stays open until fenced or timed out; read_committed must see past it. */
    private static void awaitNoOpenTransaction(final ClusterOffsets progress) {
        final List<TopicPartition> outputs = progress.partitions(List.of(Topics.THREAT_AGGREGATES.name(),
                Topics.LATE_EVENTS.name(), Topics.DEADLETTER.name()));
        await("no open transaction on the output topics").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> progress.stableOffsets(outputs).equals(progress.endOffsets(outputs)));
    }

    /** Output records including those of aborted transactions (read_uncommitted). */
    private static long countAll(final String bootstrapServers) {
        try (TopicReader all = new TopicReader(bootstrapServers, Topics.THREAT_AGGREGATES.name(),
                IsolationLevel.READ_UNCOMMITTED, record -> { })) {
            all.readToEnd();
            return all.records();
        }
    }

    private static int checkLateEvents(final String bootstrapServers, final EosInput input,
                                       final List<String> problems) {
        final Map<UUID, Integer> seen = new HashMap<>();
        try (TopicReader late = new TopicReader(bootstrapServers, Topics.LATE_EVENTS.name(),
                IsolationLevel.READ_COMMITTED, record -> {
                    final LateEvent event = Topics.LATE_EVENTS.valueSerde().deserializer()
                            .deserialize(record.topic(), record.value());
                    seen.merge(event.getEventId(), 1, Integer::sum);
                })) {
            late.readToEnd();
            for (final UUID id : input.lateIds()) {
                final int count = seen.getOrDefault(id, 0);
                if (count != 1) {
                    problems.add("late report " + id + " is on " + Topics.LATE_EVENTS.name() + " " + count
                            + " times, expected once");
                }
            }
            seen.keySet().stream().filter(id -> !input.lateIds().contains(id)).forEach(id ->
                    problems.add("report " + id + " is on " + Topics.LATE_EVENTS.name() + " but was not late"));
            return (int) late.records();
        }
    }

    private static int checkDeadLetters(final String bootstrapServers, final EosInput input,
                                        final List<String> problems) {
        final Map<EosInput.Poison, Integer> seen = new HashMap<>();
        final List<String> strangers = new ArrayList<>();
        try (TopicReader deadLetters = new TopicReader(bootstrapServers, Topics.DEADLETTER.name(),
                IsolationLevel.READ_COMMITTED, record -> input.poison().stream()
                        .filter(poison -> Arrays.equals(poison.value(), record.value()))
                        .findFirst()
                        .ifPresentOrElse(poison -> {
                            seen.merge(poison, 1, Integer::sum);
                            final String source = header(record, "__streams.errors.topic");
                            if (!poison.topic().equals(source)) {
                                problems.add("dead letter for '" + poison.name() + "' names source topic " + source
                                        + ", expected " + poison.topic());
                            }
                        }, () -> strangers.add(record.topic() + "-" + record.partition() + "@" + record.offset())))) {
            deadLetters.readToEnd();
            for (final EosInput.Poison poison : input.poison()) {
                final int count = seen.getOrDefault(poison, 0);
                if (count != 1) {
                    problems.add("poison record '" + poison.name() + "' is on " + Topics.DEADLETTER.name() + " "
                            + count + " times, expected once");
                }
            }
            if (!strangers.isEmpty()) {
                problems.add("dead letters that match no poison record: " + strangers);
            }
            return (int) deadLetters.records();
        }
    }

    private static String header(final ConsumerRecord<byte[], byte[]> record, final String name) {
        final Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
