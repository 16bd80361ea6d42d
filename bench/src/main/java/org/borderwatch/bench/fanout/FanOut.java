package org.borderwatch.bench.fanout;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

import org.awaitility.core.ConditionTimeoutException;
import org.borderwatch.bench.latency.AlertProbes;
import org.borderwatch.bench.latency.Percentiles;
import org.borderwatch.bench.pipeline.Api;
import org.borderwatch.bench.pipeline.Pipeline;
import org.borderwatch.bench.pipeline.Reports;
import org.borderwatch.bench.workload.Region;
import org.borderwatch.testkit.SseClient;

/**
 * Fan-out: {@code subscribers} SSE streams open on one alert-service instance (the operations-center key, every
 * region), then {@code probes} new alerts one after another, each made by one incident through the ingest API (the
 * latency rules of {@link AlertProbes}); for each, the time from the ingest API's 202 until each stream has its
 * FIRED event, and until all have. The streams are {@link SseClient}s: lines are pushed by the JDK HTTP client's
 * own threads, no thread per stream. Each stream is one socket here and one in the service: both processes need
 * {@code ulimit -n} above {@code subscribers} plus their own few hundred descriptors.
 */
public final class FanOut {

    private static final Duration OPEN_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);
    private static final int OPEN_BATCH = 500;

    /**
     * @param opened       streams that opened (sent {@code : stream open})
     * @param openSeconds  time to open them all
     * @param deliveriesMs 202 → FIRED on a stream, every (stream, probe) that arrived, sorted
     * @param allMs        per probe, 202 → the last stream's FIRED (NaN when some stream never got it), in order
     * @param missing      (stream, probe) pairs that never arrived within 30 s
     * @param probes       where each probe's time went, in order
     */
    public record Result(int subscribers, int opened, double openSeconds, double[] deliveriesMs, double[] allMs,
                         long missing, OptionalLong fileDescriptorLimit, List<Split> probes) {

        /** Where the time went, p50 and max over the probes of each part of {@link Split}. */
        public String split() {
            return String.format("202 -> breach p50 %.0f / max %.0f ms; breach -> first stream p50 %.0f / max %.0f ms;"
                    + " first -> last stream p50 %.0f / max %.0f ms", p50(Split::toBreachMs), max(Split::toBreachMs),
                    p50(Split::breachToFirstMs), max(Split::breachToFirstMs), p50(Split::firstToLastMs),
                    max(Split::firstToLastMs));
        }

        private double p50(final ToDoubleFunction<Split> part) {
            return Percentiles.of(sorted(part), 50);
        }

        private double max(final ToDoubleFunction<Split> part) {
            final double[] values = sorted(part);
            return values.length == 0 ? Double.NaN : values[values.length - 1];
        }

        private double[] sorted(final ToDoubleFunction<Split> part) {
            return probes.stream().mapToDouble(part).filter(value -> !Double.isNaN(value)).sorted().toArray();
        }
    }

    /**
     * One probe's time, split at the breach's {@code updatedAt} (when the aggregator evaluated the rule; wall clock,
     * one machine): 202 → breach (the aggregator), breach → the first stream (the aggregator's commit, the
     * lifecycle, the alert log, one stream's write and read), the first stream → the last (the fan-out itself:
     * the alert service writing to every stream and this JVM reading them). NaN where not known.
     */
    public record Split(double toBreachMs, double breachToFirstMs, double firstToLastMs) {
    }

    private FanOut() {
    }

    /** Probes use the pairs of {@link AlertProbes} from {@code firstPair} on: none of them fired before. */
    public static Result run(final Pipeline pipeline, final int subscribers, final int probes, final int firstPair) {
        return run(pipeline, subscribers, 0, probes, firstPair, () -> { });
    }

    /**
     * As {@link #run(Pipeline, int, int, int)}, with {@code warmup} probes first that are not counted, and
     * {@code whenOpen} run once every stream is open, before the first probe (e.g. to start a flight recording).
     */
    public static Result run(final Pipeline pipeline, final int subscribers, final int warmup, final int probes,
                             final int firstPair, final Runnable whenOpen) {
        if (firstPair + warmup + probes > AlertProbes.MAX_PROBES) {
            throw new IllegalArgumentException("at most " + AlertProbes.MAX_PROBES + " probe pairs in one run");
        }
        final AtomicReference<String> current = new AtomicReference<>("");
        final AtomicReference<AtomicLongArray> arrivals = new AtomicReference<>(new AtomicLongArray(subscribers));
        final AtomicLong breachEpochMs = new AtomicLong(-1);
        final List<SseClient> streams = new ArrayList<>(subscribers);
        final long openStart = System.nanoTime();
        try {
            for (int i = 0; i < subscribers; i++) {
                final int index = i;
                streams.add(SseClient.subscribe(pipeline.alertApi(0).uri("/v1/alerts/stream"),
                        pipeline.credentials().opsKey(), event -> {
                            // A substring test, not a JSON parse: ten thousand streams share a few client threads.
                            final String alertId = current.get();
                            if (!alertId.isEmpty() && event.data().contains(alertId)
                                    && event.data().contains("\"FIRED\"")) {
                                if (arrivals.get().compareAndSet(index, 0, event.receivedNanos())
                                        && breachEpochMs.get() < 0) {
                                    // Parsed once per probe, by whichever stream has it first.
                                    breachEpochMs.compareAndSet(-1, AlertProbes.SseFirings.epochMillis(
                                            Api.alert(event.data()).get("updatedAt")));
                                }
                            }
                        }));
                if (i % OPEN_BATCH == OPEN_BATCH - 1) {
                    // Pace the connects so the service's accept queue keeps up: wait for this batch to open.
                    awaitOpen(streams, i + 1 - OPEN_BATCH / 2, Duration.ofSeconds(10));
                }
            }
            final int opened = awaitOpen(streams, subscribers, OPEN_TIMEOUT);
            final double openSeconds = (System.nanoTime() - openStart) / 1e9;
            whenOpen.run();
            final List<Double> deliveries = new ArrayList<>();
            final double[] all = new double[probes];
            final List<Split> splits = new ArrayList<>();
            long missing = 0;
            for (int p = -warmup; p < probes; p++) {
                final int pair = firstPair + warmup + p;
                final String type = AlertProbes.THREAT_TYPES.get(pair / Region.CENTRAL_ASIA.size());
                final String region = Region.CENTRAL_ASIA.get(pair % Region.CENTRAL_ASIA.size()).code();
                final AtomicLongArray arrived = new AtomicLongArray(subscribers);
                arrivals.set(arrived);
                breachEpochMs.set(-1);
                current.set("\"" + AlertProbes.ruleId(type) + "|" + region + "|" + type + "\"");
                pipeline.publish(Reports.incident(region, type, Instant.now(), "HIGH"));
                final long accepted = System.nanoTime();
                final long acceptedEpochMs = System.currentTimeMillis();
                try {
                    await("probe " + p + " on every open stream").atMost(PROBE_TIMEOUT)
                            .pollInterval(Duration.ofMillis(50)).until(() -> count(arrived) >= opened);
                } catch (final ConditionTimeoutException e) {
                    // counted as missing below
                }
                if (p < 0) {
                    continue;
                }
                double last = 0;
                double first = Double.NaN;
                for (int s = 0; s < subscribers; s++) {
                    if (!streams.get(s).isOpen()) {
                        continue;
                    }
                    final long at = arrived.get(s);
                    if (at == 0) {
                        missing++;
                        last = Double.NaN;
                    } else {
                        final double ms = (at - accepted) / 1e6;
                        deliveries.add(ms);
                        last = Math.max(last, ms);
                        first = Double.isNaN(first) ? ms : Math.min(first, ms);
                    }
                }
                all[p] = last;
                final double toBreach = breachEpochMs.get() < 0 ? Double.NaN
                        : breachEpochMs.get() - acceptedEpochMs;
                splits.add(new Split(toBreach, first - toBreach, last - first));
            }
            final double[] sorted = deliveries.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return new Result(subscribers, opened, openSeconds, sorted, all, missing, fileDescriptorLimit(),
                    List.copyOf(splits));
        } finally {
            current.set("");
            streams.forEach(SseClient::close);
        }
    }

    private static int awaitOpen(final List<SseClient> streams, final int wanted, final Duration atMost) {
        try {
            await("SSE streams open").atMost(atMost).pollInterval(Duration.ofMillis(50))
                    .until(() -> streams.stream().filter(SseClient::isOpen).count() >= wanted);
        } catch (final ConditionTimeoutException e) {
            // fewer opened: reported
        }
        return (int) streams.stream().filter(SseClient::isOpen).count();
    }

    private static long count(final AtomicLongArray arrived) {
        long count = 0;
        for (int i = 0; i < arrived.length(); i++) {
            if (arrived.get(i) != 0) {
                count++;
            }
        }
        return count;
    }

    /** The soft limit of open files of this process ({@code ulimit -n}), from {@code /proc/self/limits}. */
    public static OptionalLong fileDescriptorLimit() {
        try {
            return Files.readAllLines(Path.of("/proc/self/limits")).stream()
                    .filter(line -> line.startsWith("Max open files"))
                    .map(line -> line.substring("Max open files".length()).strip().split("\\s+")[0])
                    .filter(value -> value.chars().allMatch(Character::isDigit))
                    .mapToLong(Long::parseLong).findFirst();
        } catch (final IOException e) {
            return OptionalLong.empty();
        }
    }
}
