package org.borderwatch.bench.latency;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

import org.awaitility.core.ConditionTimeoutException;
import org.borderwatch.bench.pipeline.Api;
import org.borderwatch.bench.pipeline.Pipeline;
import org.borderwatch.bench.pipeline.Reports;
import org.borderwatch.bench.workload.Region;
import org.borderwatch.testkit.SseClient;

/**
 * The measured alerts. Rules {@code latency-<threat type>} (every region, threshold 1 in {@code PT24H}, a window
 * that still holds a report evaluated just after an hour boundary, unlike {@code PT1H}) make the
 * first report of a (region, threat type) a new breach, so each probe is one incident of a pair not used before,
 * published through {@code POST /v1/incidents}: its latency runs from the 202 (stamped as the answer arrives) to
 * the SSE event of its FIRED alert (stamped as the event's last line is read, see {@link SseClient}). Probes are
 * published open-loop, one every {@code interval} ± 50 % at random, so they fall at every phase of the
 * aggregator's punctuation and the lifecycle's commits.
 */
public final class AlertProbes {

    /** Threat types the latency rules watch; the background load uses others. */
    public static final List<String> THREAT_TYPES = List.of("ARMED_INCURSION", "EXTREMIST_ACTIVITY",
            "WEAPONS_SMUGGLING", "HUMAN_TRAFFICKING");
    /** Distinct (region, threat type) pairs: the most probes one run can make. */
    public static final int MAX_PROBES = THREAT_TYPES.size() * Region.CENTRAL_ASIA.size();

    /**
     * One probe: nanos at the 202 and at the SSE event ({@code -1} while not received), the publish round trip, and
     * in wall-clock milliseconds (one machine, one clock) the 202 and the breach's {@code updatedAt}: when the
     * aggregator evaluated the rule (its punctuation), which splits the latency into aggregator and alert hops.
     */
    public record Probe(String alertId, long acceptedNanos, long publishNanos, long receivedNanos,
                        long acceptedEpochMs, long breachEpochMs) {

        public double latencyMs() {
            return (receivedNanos - acceptedNanos) / 1e6;
        }

        /** 202 to the aggregator's evaluation that fired the breach. */
        public double toBreachMs() {
            return breachEpochMs - acceptedEpochMs;
        }

        /** The breach's evaluation to the SSE event: breach commit, lifecycle, alert log, stream. */
        public double breachToSseMs() {
            return latencyMs() - toBreachMs();
        }
    }

    private AlertProbes() {
    }

    /** Creates the latency rules (through the aggregator's rules API). */
    public static void createRules(final Pipeline pipeline) {
        for (final String type : THREAT_TYPES) {
            pipeline.createRule(Reports.eventCountRule(ruleId(type), "*", type, "PT24H", 1, 1, "HIGH"));
        }
    }

    /** The rule watching {@code type}; its alerts have ids {@code <rule>|<region>|<type>}. */
    public static String ruleId(final String type) {
        return "latency-" + type.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /**
     * Publishes {@code count} probes starting at pair {@code first}, and waits until each one's alert arrived on the
     * stream or {@code timeout} after the last publish. Probes whose alert did not arrive have receivedNanos -1.
     */
    public static List<Probe> run(final Pipeline pipeline, final SseFirings firings, final int first, final int count,
                                  final Duration interval, final Duration timeout, final RandomGenerator random) {
        final Map<Integer, Probe> probes = new ConcurrentHashMap<>();
        final AtomicInteger failures = new AtomicInteger();
        final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            final Thread thread = new Thread(runnable, "alert-probes");
            thread.setDaemon(true);
            return thread;
        });
        try {
            long delay = 0;
            for (int i = 0; i < count; i++) {
                final int pair = first + i;
                final String type = THREAT_TYPES.get(pair / Region.CENTRAL_ASIA.size());
                final String region = Region.CENTRAL_ASIA.get(pair % Region.CENTRAL_ASIA.size()).code();
                final String alertId = ruleId(type) + "|" + region + "|" + type;
                scheduler.schedule(() -> {
                    final long start = System.nanoTime();
                    try {
                        pipeline.publish(Reports.incident(region, type, Instant.now(), "HIGH"));
                    } catch (final RuntimeException e) {
                        failures.incrementAndGet();
                        return;
                    }
                    final long accepted = System.nanoTime();
                    probes.put(pair, new Probe(alertId, accepted, accepted - start, -1, System.currentTimeMillis(),
                            -1));
                }, delay, TimeUnit.MILLISECONDS);
                delay += Math.round(interval.toMillis() * (0.5 + random.nextDouble()));
            }
            try {
                await("alerts of " + count + " probes").atMost(Duration.ofMillis(delay).plus(timeout))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> probes.size() + failures.get() == count && probes.values().stream()
                                .allMatch(probe -> firings.receivedNanos(probe.alertId()) >= 0));
            } catch (final ConditionTimeoutException e) {
                // reported as missing
            }
        } finally {
            scheduler.shutdownNow();
        }
        final List<Probe> result = new ArrayList<>();
        probes.keySet().stream().sorted().forEach(pair -> {
            final Probe probe = probes.get(pair);
            result.add(new Probe(probe.alertId(), probe.acceptedNanos(), probe.publishNanos(),
                    firings.receivedNanos(probe.alertId()), probe.acceptedEpochMs(),
                    firings.breachEpochMs(probe.alertId())));
        });
        return result;
    }

    /** The first FIRED event of each alert on one SSE stream, stamped on arrival. */
    public static final class SseFirings implements AutoCloseable {

        private final Map<String, Long> fired = new ConcurrentHashMap<>();
        private final Map<String, Long> breachTimes = new ConcurrentHashMap<>();
        private final SseClient subscriber;

        public SseFirings(final Pipeline pipeline) {
            this.subscriber = SseClient.subscribe(pipeline.alertApi(0).uri("/v1/alerts/stream"),
                    pipeline.credentials().opsKey(), event -> {
                        final Map<String, Object> alert = Api.alert(event.data());
                        if ("FIRED".equals(alert.get("change"))) {
                            final String alertId = (String) alert.get("alertId");
                            breachTimes.putIfAbsent(alertId, epochMillis(alert.get("updatedAt")));
                            fired.putIfAbsent(alertId, event.receivedNanos());
                        }
                    });
            await("SSE stream open").atMost(Duration.ofSeconds(30)).until(subscriber::isOpen);
        }

        /** The alert's updatedAt: JSON as an ISO-8601 instant or epoch milliseconds, depending on the format. */
        public static long epochMillis(final Object updatedAt) {
            if (updatedAt instanceof Number number) {
                return number.longValue();
            }
            try {
                return Instant.parse(String.valueOf(updatedAt)).toEpochMilli();
            } catch (final java.time.format.DateTimeParseException e) {
                return -1;
            }
        }

        long breachEpochMs(final String alertId) {
            return breachTimes.getOrDefault(alertId, -1L);
        }

        long receivedNanos(final String alertId) {
            return fired.getOrDefault(alertId, -1L);
        }

        @Override
        public void close() {
            subscriber.close();
        }
    }
}
