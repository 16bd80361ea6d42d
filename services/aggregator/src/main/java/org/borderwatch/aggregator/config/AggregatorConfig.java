package org.borderwatch.aggregator.config;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.streams.StreamsConfig;
import org.borderwatch.aggregator.deadletter.DeadLetterDeserializationHandler;
import org.borderwatch.aggregator.deadletter.InvalidReportHandler;
import org.borderwatch.aggregator.window.Granularity;
import org.borderwatch.aggregator.window.WindowSpec;
import org.borderwatch.schemas.Topics;

/**
 * Everything the aggregator topology needs to know, as plain values (the host binds them from its configuration).
 *
 * @param applicationId       Kafka Streams {@code application.id}: consumer group, prefix of internal topics
 * @param bootstrapServers    the Kafka cluster
 * @param windows             the windows aggregated and available to rules; sizes and advances in whole minutes,
 *                            sizes distinct (rules name a window by its size); whole days are summed from daily
 *                            buckets, whole hours from hourly buckets, anything else ({@code PT1M},
 *                            {@code PT10M/PT1M}) from minutely buckets, which are only kept when such a window is
 *                            configured
 * @param grace               how far behind stream time a report may occur and still count
 * @param clockSkew           how far a report's occurredAt may lie after the record's own timestamp before it is
 *                            rejected as coming from a wrong clock
 * @param punctuationInterval how often (wall-clock) changed windows are emitted and breaches re-evaluated
 * @param emitTimeShare       the largest share of a stream thread's time that emitting changed windows may take
 *                            (0 < share <= 1; 1: emit at every punctuation); see {@code emit.EmitPacer}
 */
public record AggregatorConfig(String applicationId, String bootstrapServers, List<WindowSpec> windows,
                               Duration grace, Duration clockSkew, Duration punctuationInterval,
                               double emitTimeShare) {

    public static final String DEFAULT_APPLICATION_ID = "borderwatch-aggregator";
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";
    public static final List<WindowSpec> DEFAULT_WINDOWS = List.of(
            WindowSpec.tumbling("PT1H"),
            WindowSpec.hopping("PT24H", "PT1H"),
            WindowSpec.hopping("P7D", "P1D"));
    public static final Duration DEFAULT_GRACE = Duration.ofHours(6);
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(5);
    public static final Duration DEFAULT_PUNCTUATION_INTERVAL = Duration.ofSeconds(1);
    public static final double DEFAULT_EMIT_TIME_SHARE = 0.1;
    /**
     * {@code commit.interval.ms}: 1 s, for a replayed backlog. A read_committed consumer (the alert service, the
     * country stage) sees outputs only when their transaction commits; on live data the processors ask for a commit
     * as soon as a breach changes or a punctuation emitted ({@code LevelPublisher#live}), so this interval bounds how
     * late outputs are only while a backlog is replayed, when they are late anyway. Exactly-once's default, 100 ms,
     * made every catch-up pay ten transactions a second (1 s: +8-28% catch-up throughput measured).
     */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofSeconds(1);

    public AggregatorConfig {
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        windows = List.copyOf(windows);
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("at least one window must be configured");
        }
        final Set<Duration> sizes = new HashSet<>();
        for (final WindowSpec window : windows) {
            if (!sizes.add(window.size())) {
                throw new IllegalArgumentException("two windows have the size " + window.size()
                        + "; rules name a window by its size, so sizes must be distinct");
            }
        }
        requireNotNegative(grace, "grace");
        requireNotNegative(clockSkew, "clockSkew");
        if (punctuationInterval.isZero() || punctuationInterval.isNegative()) {
            throw new IllegalArgumentException("punctuationInterval must be positive, was " + punctuationInterval);
        }
        if (!(emitTimeShare > 0 && emitTimeShare <= 1)) {
            throw new IllegalArgumentException("emitTimeShare must be > 0 and <= 1, was " + emitTimeShare);
        }
    }

    public static AggregatorConfig defaults() {
        return new AggregatorConfig(DEFAULT_APPLICATION_ID, DEFAULT_BOOTSTRAP_SERVERS, DEFAULT_WINDOWS, DEFAULT_GRACE,
                DEFAULT_CLOCK_SKEW, DEFAULT_PUNCTUATION_INTERVAL, DEFAULT_EMIT_TIME_SHARE);
    }

    public AggregatorConfig withApplicationId(final String value) {
        return new AggregatorConfig(value, bootstrapServers, windows, grace, clockSkew, punctuationInterval,
                emitTimeShare);
    }

    public AggregatorConfig withBootstrapServers(final String value) {
        return new AggregatorConfig(applicationId, value, windows, grace, clockSkew, punctuationInterval,
                emitTimeShare);
    }

    public AggregatorConfig withWindows(final List<WindowSpec> value) {
        return new AggregatorConfig(applicationId, bootstrapServers, value, grace, clockSkew, punctuationInterval,
                emitTimeShare);
    }

    public AggregatorConfig withGrace(final Duration value) {
        return new AggregatorConfig(applicationId, bootstrapServers, windows, value, clockSkew, punctuationInterval,
                emitTimeShare);
    }

    public AggregatorConfig withClockSkew(final Duration value) {
        return new AggregatorConfig(applicationId, bootstrapServers, windows, grace, value, punctuationInterval,
                emitTimeShare);
    }

    public AggregatorConfig withPunctuationInterval(final Duration value) {
        return new AggregatorConfig(applicationId, bootstrapServers, windows, grace, clockSkew, value, emitTimeShare);
    }

    public AggregatorConfig withEmitTimeShare(final double value) {
        return new AggregatorConfig(applicationId, bootstrapServers, windows, grace, clockSkew, punctuationInterval,
                value);
    }

    /** Whether some window is summed from buckets of this granularity (if not, those buckets are not kept). */
    public boolean uses(final Granularity granularity) {
        return windows.stream().anyMatch(window -> window.granularity() == granularity);
    }

    /** How long an eventId is remembered: the largest window plus grace, so a retry can never count twice. */
    public Duration dedupRetention() {
        return largestWindow().plus(grace);
    }

    /**
     * How long base buckets are kept: the largest window summed from them, plus grace (a report up to grace behind
     * stream time still lands in its bucket), plus one bucket for alignment.
     */
    public Duration bucketRetention(final Granularity granularity) {
        final Duration largest = windows.stream().filter(window -> window.granularity() == granularity)
                .map(WindowSpec::size).max(Duration::compareTo).orElse(Duration.ZERO);
        return largest.plus(grace).plus(granularity.size());
    }

    /**
     * How long the country roll-up keeps per-region bucket snapshots: the bucket retention plus the largest window.
     * Regions of one country live in different tasks, whose stream times drift apart while a backlog is replayed;
     * the extra window lets a lagging region's snapshots still land.
     */
    public Duration rollupRetention(final Granularity granularity) {
        return bucketRetention(granularity).plus(largestWindow());
    }

    public Duration largestWindow() {
        return windows.stream().map(WindowSpec::size).max(Duration::compareTo).orElseThrow();
    }

    /**
     * The Kafka Streams configuration the topology is designed for; the host adds its own (state directory, threads,
     * {@code application.server}) and the tests use it as is. Exactly-once v2, committed every
     * {@link #DEFAULT_COMMIT_INTERVAL}; every internal resource must carry an explicit name; bytes that do not decode and reports that cannot be counted go to {@code border.deadletter.v1}
     * through Kafka Streams' dead-letter queue, and processing continues. No default serdes: every serde is explicit.
     */
    public Properties streamsProperties() {
        final Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, DEFAULT_COMMIT_INTERVAL.toMillis());
        properties.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        properties.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterDeserializationHandler.class);
        properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, InvalidReportHandler.class);
        properties.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.DEADLETTER.name());
        return properties;
    }

    private static void requireNotNegative(final Duration value, final String name) {
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
    }
}
