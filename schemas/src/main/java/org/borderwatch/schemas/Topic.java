package org.borderwatch.schemas;

import java.util.Map;

import org.apache.kafka.common.serialization.Serde;

/**
 * One topic of the public contract: its name, the serdes of its keys and values, and how it is laid out.
 *
 * @param name       the topic name, as outside consumers see it
 * @param keySerde   keys are plain strings so any Kafka tool can read them
 * @param valueSerde the value serde (Avro single-object encoding, or raw bytes for the dead-letter topic)
 * @param partitions default partition count when the project creates the topic
 * @param configs    topic-level configuration (retention, cleanup policy) applied at creation
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, int partitions,
                          Map<String, String> configs) {

    @Override
    public String toString() {
        return name;
    }
}
