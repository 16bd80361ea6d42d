package org.borderwatch.bench.eos;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.borderwatch.avro.ThreatAggregate;
import org.borderwatch.bench.kafka.TopicReader;
import org.borderwatch.schemas.Topics;

/**
 * The last committed value of every key of {@code border.threat-aggregates.v1}, read with {@code read_committed}:
 * what a downstream consumer of the compacted topic ends up believing.
 */
final class LastValues implements AutoCloseable {

    private final Map<String, ThreatAggregate> byKey = new HashMap<>();
    private final TopicReader reader;

    LastValues(final String bootstrapServers) {
        this.reader = new TopicReader(bootstrapServers, Topics.THREAT_AGGREGATES.name(), IsolationLevel.READ_COMMITTED,
                this::accept);
    }

    void poll() {
        reader.poll();
    }

    void readToEnd() {
        reader.readToEnd();
    }

    long records() {
        return reader.records();
    }

    /** Last value by key, as of what has been read. */
    Map<String, ThreatAggregate> byKey() {
        return byKey;
    }

    @Override
    public void close() {
        reader.close();
    }

    private void accept(final ConsumerRecord<byte[], byte[]> record) {
        final String key = Topics.THREAT_AGGREGATES.keySerde().deserializer().deserialize(record.topic(),
                record.key());
        final ThreatAggregate value = Topics.THREAT_AGGREGATES.valueSerde().deserializer().deserialize(
                record.topic(), record.value());
        if (value == null) {
            byKey.remove(key);
        } else {
            byKey.put(key, value);
        }
    }
}
