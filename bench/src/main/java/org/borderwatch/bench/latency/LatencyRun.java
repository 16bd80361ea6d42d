package org.borderwatch.bench.latency;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToLongBiFunction;
import java.util.stream.Collectors;

import org.apache.kafka.common.TopicPartition;
import org.awaitility.core.ConditionTimeoutException;
import org.borderwatch.bench.kafka.ClusterOffsets;
import org.borderwatch.bench.pipeline.Pipeline;
import org.borderwatch.bench.process.MachineCpu;
import org.borderwatch.bench.process.ProcessCpu;

/**
 * One alert-latency measurement on a running pipeline whose latency rules exist ({@link AlertProbes#createRules}):
 * {@code rate} reports/s of {@link BackgroundLoad} through the batch endpoint, settled for {@code loadBefore} and
 * until the aggregator keeps up with it, then {@code warmup} probes not counted and {@code alerts} measured ones,
 * with the CPU each process used meanwhile.
 *
 * <p>Why wait for the aggregator: when 5,000 reports/s start at once, a freshly started aggregator falls seconds
 * behind (JIT compilation and its first window segments, on 2 cores it shares with the broker, ingest and this
 * load) and then catches up at the few hundred reports/s its share of the machine leaves over the load; probes
 * published meanwhile measure that start-up backlog (p99 5.4 s in one run, 300 ms in the next), not the alert path.
 * How long it took is part of the result ({@link Result#settleSeconds}), so it is reported rather than hidden.
 */
public final class LatencyRun {

    private static final CommittedSightings.Seen NOT_SEEN = new CommittedSightings.Seen(-1, -1);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(15);
    /** How long the aggregator may take to keep up with the load before the probes start anyway. */
    private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(2);

    /**
     * @param load  background counts during the measurement: sent, accepted, notAccepted, skippedTicks
     * @param cores CPU during the measurement: the machine, this JVM, each service, other processes
     * @param settleSeconds from the start of the load until the aggregator had committed all but half a second of
     *                      it (at most two minutes)
     * @param behindAtStart input records the aggregator had not committed when the probes began
     * @param committed     per alert id, when its breach and its alert became readable with read_committed
     */
    public record Result(int alerts, int warmup, int rate, Duration interval, List<AlertProbes.Probe> probes,
                         double seconds, Map<String, Long> load, Map<String, Double> cores, double settleSeconds,
                         long behindAtStart, Map<String, CommittedSightings.Seen> committed) {

        /** 202 → SSE of every probe that arrived, sorted. */
        public double[] latencies() {
            return probes.stream().filter(probe -> probe.receivedNanos() >= 0)
                    .mapToDouble(AlertProbes.Probe::latencyMs).sorted().toArray();
        }

        public double[] toBreach() {
            return probes.stream().filter(probe -> probe.receivedNanos() >= 0 && probe.breachEpochMs() >= 0)
                    .mapToDouble(AlertProbes.Probe::toBreachMs).sorted().toArray();
        }

        public double[] breachToSse() {
            return probes.stream().filter(probe -> probe.receivedNanos() >= 0 && probe.breachEpochMs() >= 0)
                    .mapToDouble(AlertProbes.Probe::breachToSseMs).sorted().toArray();
        }

        /** 202 → the breach readable with read_committed: the aggregator's processing and its commit. */
        public double[] toBreachCommitted() {
            return committedHop((probe, seen) -> seen.breachNanos() - probe.acceptedNanos());
        }

        /** The breach readable → the alert readable: the alert service's lifecycle and its commit. */
        public double[] breachToAlertCommitted() {
            return committedHop((probe, seen) -> seen.alertNanos() - seen.breachNanos());
        }

        /** The alert readable → the SSE event: the alert log's consumer, the stream's write, the client's read. */
        public double[] alertCommittedToSse() {
            return committedHop((probe, seen) -> probe.receivedNanos() - seen.alertNanos());
        }

        private double[] committedHop(final ToLongBiFunction<AlertProbes.Probe, CommittedSightings.Seen> nanos) {
            return probes.stream().filter(probe -> probe.receivedNanos() >= 0)
                    .filter(probe -> committed.getOrDefault(probe.alertId(), NOT_SEEN).both())
                    .mapToDouble(probe -> nanos.applyAsLong(probe, committed.get(probe.alertId())) / 1e6).sorted()
                    .toArray();
        }

        /** Probes whose alert never arrived within 15 s. */
        public long lost() {
            return alerts - latencies().length;
        }

        /** Background reports accepted per second during the measurement. */
        public double backgroundRate() {
            return load.get("accepted") / seconds;
        }

        public String coresLine() {
            return cores.entrySet().stream().map(entry -> String.format(Locale.ROOT, "%s %.2f", entry.getKey(),
                    entry.getValue())).collect(Collectors.joining(", "));
        }
    }

    private LatencyRun() {
    }

    /**
     * @param bootstrap   the pipeline's cluster, for the aggregator's committed offsets
     * @param inputStarts every input partition and where the pipeline's aggregator starts reading it
     */
    public static Result run(final Pipeline pipeline, final String bootstrap,
                             final Map<TopicPartition, Long> inputStarts, final int firstPair, final int alerts,
                             final int warmup, final int rate, final Duration interval, final Duration loadBefore,
                             final long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        final long loadStart = System.nanoTime();
        try (AlertProbes.SseFirings firings = new AlertProbes.SseFirings(pipeline);
             CommittedSightings sightings = new CommittedSightings(bootstrap);
             ClusterOffsets offsets = new ClusterOffsets(bootstrap);
             BackgroundLoad load = BackgroundLoad.start(pipeline.ingestApi(), pipeline.credentials().adminKey(),
                     rate)) {
            // Let the load settle (JIT, batching) before measuring: a condition on the load itself. A machine that
            // cannot take the rate is no reason to measure nothing: the rate actually accepted is reported.
            final long target = rate * loadBefore.toSeconds();
            try {
                await("background load").atMost(loadBefore.multipliedBy(3)).pollInterval(Duration.ofMillis(100))
                        .until(() -> load.accepted() >= target);
            } catch (final ConditionTimeoutException e) {
                // measured at the rate it got, see backgroundRate()
            }
            final String group = pipeline.aggregatorApplicationId();
            try {
                await("the aggregator keeps up with the load").atMost(SETTLE_TIMEOUT)
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> offsets.behind(group, inputStarts) <= Math.max(1, rate / 2));
            } catch (final ConditionTimeoutException e) {
                // measured anyway; behindAtStart says how far behind it was
            }
            final double settleSeconds = (System.nanoTime() - loadStart) / 1e9;
            final long behindAtStart = offsets.behind(group, inputStarts);
            AlertProbes.run(pipeline, firings, firstPair, warmup, interval, PROBE_TIMEOUT, random);
            final Map<String, Long> before = load.counts();
            final long start = System.nanoTime();
            final MachineCpu.Times machineBefore = MachineCpu.now();
            final Map<String, Double> cpuBefore = processCpu(pipeline);
            final List<AlertProbes.Probe> probes = AlertProbes.run(pipeline, firings, firstPair + warmup, alerts,
                    interval, PROBE_TIMEOUT, random);
            final double wall = (System.nanoTime() - start) / 1e9;
            final Map<String, Double> cores = new LinkedHashMap<>();
            final double machine = (MachineCpu.now().busy() - machineBefore.busy()) / wall;
            cores.put("machine", machine);
            processCpu(pipeline).forEach((name, value) -> cores.put(name,
                    (value - cpuBefore.getOrDefault(name, 0.0)) / wall));
            // On a shared box, what else ran: the figures are only comparable when this stays low.
            cores.put("other processes", machine - cores.entrySet().stream()
                    .filter(entry -> !entry.getKey().equals("machine")).mapToDouble(Map.Entry::getValue).sum());
            final Map<String, Long> counts = new LinkedHashMap<>();
            load.counts().forEach((name, value) -> counts.put(name, value - before.get(name)));
            final Map<String, CommittedSightings.Seen> committed = new LinkedHashMap<>();
            probes.forEach(probe -> committed.put(probe.alertId(), sightings.seen(probe.alertId())));
            return new Result(alerts, warmup, rate, interval, probes, wall, counts, cores, settleSeconds,
                    behindAtStart, committed);
        }
    }

    /** CPU seconds so far of this JVM (broker, load, probes) and of each service process. */
    private static Map<String, Double> processCpu(final Pipeline pipeline) {
        final Map<String, Double> seconds = new LinkedHashMap<>();
        seconds.put("broker+harness", ProcessCpu.seconds(ProcessHandle.current().pid()).orElse(0));
        seconds.put("ingest", ProcessCpu.seconds(pipeline.ingest().pid()).orElse(0));
        seconds.put("aggregator", ProcessCpu.seconds(pipeline.aggregator().pid()).orElse(0));
        seconds.put("alert", ProcessCpu.seconds(pipeline.alerts().get(0).pid()).orElse(0));
        return seconds;
    }

    /** One line per probe, in publishing order: for plots and for a latency that drifts during the run. */
    public static void writeProbes(final Path file, final List<AlertProbes.Probe> probes) throws IOException {
        final StringBuilder csv = new StringBuilder("alertId,acceptedMsFromFirst,publishMs,latencyMs,toBreachMs\n");
        final long first = probes.isEmpty() ? 0 : probes.get(0).acceptedNanos();
        for (final AlertProbes.Probe probe : probes) {
            csv.append(probe.alertId()).append(',').append((probe.acceptedNanos() - first) / 1_000_000).append(',')
                    .append(String.format(Locale.ROOT, "%.1f", probe.publishNanos() / 1e6)).append(',')
                    .append(probe.receivedNanos() < 0 ? "" : String.format(Locale.ROOT, "%.1f", probe.latencyMs()))
                    .append(',')
                    .append(probe.receivedNanos() < 0 || probe.breachEpochMs() < 0 ? ""
                            : String.format(Locale.ROOT, "%.0f", probe.toBreachMs())).append('\n');
        }
        Files.writeString(file, csv);
    }
}
