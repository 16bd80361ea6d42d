package org.borderwatch.aggregator.host;

import java.util.List;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.borderwatch.aggregator.metrics.AggregatorMetrics;

/**
 * Exports Kafka Streams' metrics to Micrometer ({@code /prometheus}): all of Streams' own (prefix
 * {@code kafka_stream_}, per thread and task, picked up within a minute of a task appearing) and, summed over this
 * instance's tasks, the aggregator's sensors from {@link AggregatorMetrics}:
 * {@code borderwatch_aggregator_late_events_total}, {@code borderwatch_aggregator_duplicate_events_total},
 * {@code borderwatch_aggregator_expired_rollup_snapshots_total}; and {@code borderwatch_aggregator_streams_running}
 * (1 while Kafka Streams is RUNNING). The sums can step down when a rebalance moves a task away (Prometheus treats
 * that as a counter reset); sum them over all instances.
 */
@Singleton
public final class StreamsMeters implements AutoCloseable {

    private static final List<String> SENSORS = List.of(AggregatorMetrics.LATE_EVENTS,
            AggregatorMetrics.DUPLICATE_EVENTS, AggregatorMetrics.EXPIRED_ROLLUP_SNAPSHOTS);

    private final MeterRegistry registry;
    private volatile KafkaStreams streams;
    private KafkaStreamsMetrics binder;

    public StreamsMeters(final MeterRegistry registry) {
        this.registry = registry;
        for (final String sensor : SENSORS) {
            FunctionCounter.builder("borderwatch.aggregator." + sensor.replace('-', '.'), this,
                            meters -> meters.sum(AggregatorMetrics.total(sensor)))
                    .description(description(sensor)).register(registry);
        }
        Gauge.builder("borderwatch.aggregator.streams.running", this,
                        meters -> meters.streams != null && meters.streams.state() == KafkaStreams.State.RUNNING
                                ? 1 : 0)
                .description("1 while Kafka Streams is RUNNING, 0 while it starts, rebalances or stopped")
                .register(registry);
    }

    /** Called once Kafka Streams exists. */
    synchronized void bind(final KafkaStreams created) {
        this.streams = created;
        this.binder = new KafkaStreamsMetrics(created);
        binder.bindTo(registry);
    }

    private double sum(final String name) {
        final KafkaStreams current = streams;
        if (current == null) {
            return 0;
        }
        double sum = 0;
        for (final var entry : current.metrics().entrySet()) {
            final MetricName metric = entry.getKey();
            if (AggregatorMetrics.GROUP.equals(metric.group()) && name.equals(metric.name())) {
                sum += value(entry.getValue());
            }
        }
        return sum;
    }

    private static double value(final Metric metric) {
        return metric.metricValue() instanceof Number number ? number.doubleValue() : 0;
    }

    private static String description(final String sensor) {
        return switch (sensor) {
            case AggregatorMetrics.LATE_EVENTS -> "Reports older than the grace period, sent to border.late-events.v1";
            case AggregatorMetrics.DUPLICATE_EVENTS -> "Reports whose eventId was already counted (retried publishes)";
            default -> "Roll-up snapshots that arrived after the roll-up's retention";
        };
    }

    @PreDestroy
    @Override
    public synchronized void close() {
        if (binder != null) {
            binder.close();
        }
    }
}
