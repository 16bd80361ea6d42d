package org.borderwatch.aggregator.host;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Liveness;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;
import org.reactivestreams.Publisher;

/**
 * Liveness ({@code /health/liveness}): DOWN once Kafka Streams stopped for good ({@code PENDING_ERROR},
 * {@code ERROR}: a stream thread died of an unexpected exception, which under exactly-once is not skipped), so an
 * orchestrator restarts the process; a rebalance or a Kafka outage is not a reason to restart.
 */
@Singleton
@Liveness
public final class StreamsLivenessIndicator implements HealthIndicator {

    private static final String NAME = "kafka-streams-alive";

    private final StreamsHost host;

    public StreamsLivenessIndicator(final StreamsHost host) {
        this.host = host;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        final KafkaStreams.State state = host.state();
        final boolean failed = state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                || host.failedToStart();
        return Publishers.just(HealthResult.builder(NAME, failed ? HealthStatus.DOWN : HealthStatus.UP)
                .details(StreamsHealthIndicator.details(host)).build());
    }
}
