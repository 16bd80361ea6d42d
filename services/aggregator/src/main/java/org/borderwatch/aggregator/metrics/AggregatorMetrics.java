package org.borderwatch.aggregator.metrics;

import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * The aggregator's own Kafka Streams metrics, next to Streams' built-in ones in {@code KafkaStreams#metrics()}:
 * group {@value #GROUP}, tag {@code borderwatch-aggregator-id} = task id, each as {@code <name>-total} and
 * {@code <name>-rate}. The host exports them with the rest (Prometheus); sum the totals over tasks.
 */
public final class AggregatorMetrics {

    public static final String SCOPE = "borderwatch-aggregator";
    public static final String GROUP = "stream-" + SCOPE + "-metrics";
    /** Reports that occurred more than the grace period behind stream time (sent to the late-events topic). */
    public static final String LATE_EVENTS = "late-events";
    /** Reports whose eventId had already been counted (a retried publish). */
    public static final String DUPLICATE_EVENTS = "duplicate-events";
    /** Roll-up snapshots that arrived after the roll-up's retention (a region lagging far behind its country). */
    public static final String EXPIRED_ROLLUP_SNAPSHOTS = "expired-rollup-snapshots";

    private AggregatorMetrics() {
    }

    public static Sensor sensor(final ProcessorContext<?, ?> context, final String name) {
        return context.metrics().addRateTotalSensor(SCOPE, context.taskId().toString(), name,
                Sensor.RecordingLevel.INFO);
    }

    public static String total(final String name) {
        return name + "-total";
    }
}
