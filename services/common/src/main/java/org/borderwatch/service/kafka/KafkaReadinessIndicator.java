package org.borderwatch.service.kafka;

import java.time.Duration;
import java.util.Map;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.reactivestreams.Publisher;

/**
 * Readiness of every service follows Kafka: UP when the cluster answers a describe-cluster request within
 * {@code borderwatch.kafka.health-timeout} (default 2 s), DOWN otherwise; then {@code /health} answers 503 and a load
 * balancer stops sending requests that could only fail.
 */
@Singleton
@Readiness
public final class KafkaReadinessIndicator implements HealthIndicator, AutoCloseable {

    private static final String NAME = "kafka";
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    private final KafkaClients clients;
    private final Admin admin;
    private final Duration timeout;

    public KafkaReadinessIndicator(final KafkaClients clients,
                                   @Value("${borderwatch.kafka.health-timeout:2s}") final Duration timeout) {
        this.clients = clients;
        this.admin = clients.admin();
        this.timeout = timeout;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        final var nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                .nodes().toCompletionStage().toCompletableFuture();
        return Publishers.fromCompletableFuture(nodes
                .thenApply(list -> HealthResult.builder(NAME, HealthStatus.UP)
                        .details(Map.of("nodes", list.size())).build())
                // The message, not the exception: Micronaut would log a stack trace on every probe of an outage.
                .exceptionally(error -> HealthResult.builder(NAME, HealthStatus.DOWN)
                        .details(Map.of("error", KafkaClients.describe(error))).build()));
    }

    @PreDestroy
    @Override
    public void close() {
        clients.close(admin, CLOSE_TIMEOUT);
    }
}
