package org.borderwatch.ingest.event;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.borderwatch.schemas.Topic;
import org.borderwatch.service.kafka.AcknowledgedWriter;

/**
 * A validated report, ready to publish: the Avro value, the topic it belongs to, and its key (the region).
 */
public record Event<V>(EventType type, Topic<String, V> topic, UUID eventId, String region, V value) {

    /**
     * What an agency is told when Kafka did not acknowledge its report in time. A timeout is not a refusal: the
     * record may already be on the broker, so only a retry settles it, and the aggregator counts an eventId once.
     */
    public static AcknowledgedWriter.OutcomeUnknown outcomeUnknown(final Duration retryAfter) {
        return new AcknowledgedWriter.OutcomeUnknown("event", "Retry with the same eventId; it is counted once.",
                retryAfter);
    }

    /** Sends the event to its topic, keyed by region; see {@link AcknowledgedWriter#send}. */
    public CompletableFuture<RecordMetadata> sendWith(final AcknowledgedWriter writer) {
        return writer.send(topic, region, value, null);
    }
}
