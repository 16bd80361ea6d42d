package org.borderwatch.ingest.report;

import io.micronaut.serde.annotation.Serdeable;

/** The 202 answer: the event is in Kafka, at this position. */
@Serdeable
public record Accepted(String eventId, String topic, int partition, long offset) {
}
