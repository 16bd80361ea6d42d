package org.borderwatch.aggregator.host;

import java.util.LinkedHashMap;
import java.util.Map;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;
import org.reactivestreams.Publisher;

/**
 * Readiness follows Kafka Streams: UP only while {@code RUNNING}. While it starts, restores or rebalances
 * ({@code CREATED}, {@code REBALANCING}) interactive queries answer 503, so the instance is not ready either;
 * {@code ERROR} or {@code NOT_RUNNING} mean it processes nothing until restarted (see {@link StreamsLivenessIndicator}).
 */
@Singleton
@Readiness
public final class StreamsHealthIndicator implements HealthIndicator {

    static final String NAME = "kafka-streams";

    private final StreamsHost host;

    public StreamsHealthIndicator(final StreamsHost host) {
        this.host = host;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        final KafkaStreams.State state = host.state();
        return Publishers.just(HealthResult.builder(NAME, state == KafkaStreams.State.RUNNING
                ? HealthStatus.UP : HealthStatus.DOWN).details(details(host)).build());
    }

    static Map<String, Object> details(final StreamsHost host) {
        final Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", host.state().name());
        details.put("applicationId", host.config().applicationId());
        if (host.self() != null) {
            details.put("applicationServer", host.self().host() + ":" + host.self().port());
        }
        return details;
    }
}
