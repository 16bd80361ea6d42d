package org.borderwatch.ingest.event;

import java.util.UUID;

import org.borderwatch.schemas.Topic;

/**
 * A validated report, ready to publish: the Avro value, the topic it belongs to, and its key (the region).
 */
public record Event<V>(EventType type, Topic<String, V> topic, UUID eventId, String region, V value) {
}
