package org.borderwatch.ingest;

import java.time.Duration;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.convert.format.ReadableBytes;

/**
 * Limits of the ingest API ({@code borderwatch.ingest.*}); the README lists each key with its default.
 *
 * @param maxEventSize  largest body of a single event (the server's {@code micronaut.server.max-request-size}
 *                      bounds batches)
 * @param maxBatchLines most events in one NDJSON batch
 * @param maxQuantityKg largest plausible seizure, in kilograms
 * @param maxPersons    largest plausible {@code personsInvolved} or {@code arrests}
 * @param clockSkew     how far in the future {@code occurredAt} may lie (clocks of agencies drift)
 * @param maxAge        how far in the past {@code occurredAt} may lie
 * @param retryAfter    the {@code Retry-After} a client gets when Kafka is unavailable
 */
@ConfigurationProperties("borderwatch.ingest")
public record IngestConfig(
        @Bindable(defaultValue = "1MB") @ReadableBytes int maxEventSize,
        @Bindable(defaultValue = "10000") int maxBatchLines,
        @Bindable(defaultValue = "10000") double maxQuantityKg,
        @Bindable(defaultValue = "10000") int maxPersons,
        @Bindable(defaultValue = "5m") Duration clockSkew,
        @Bindable(defaultValue = "30d") Duration maxAge,
        @Bindable(defaultValue = "5s") Duration retryAfter) {
}
