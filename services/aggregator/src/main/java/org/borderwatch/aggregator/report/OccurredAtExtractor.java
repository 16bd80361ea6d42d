package org.borderwatch.aggregator.report;

import java.time.Duration;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time is the report's {@code occurredAt}, so stream time is the latest occurrence seen, not the publish time.
 * An agency clock running ahead must not drag stream time into the future (every later report would then look
 * late), so occurredAt is capped at the record's own timestamp plus the allowed clock skew; the processor rejects a
 * report whose occurredAt was capped.
 */
public final class OccurredAtExtractor implements TimestampExtractor {

    private final long clockSkewMs;

    public OccurredAtExtractor(final Duration clockSkew) {
        this.clockSkewMs = clockSkew.toMillis();
    }

    @Override
    public long extract(final ConsumerRecord<Object, Object> record, final long partitionTime) {
        if (record.value() instanceof Report report) {
            final long occurredAt = Math.max(0, report.occurredAt());
            return record.timestamp() < 0 ? occurredAt : Math.min(occurredAt, record.timestamp() + clockSkewMs);
        }
        // A null value (tombstone) is rejected by the processor; it must not move stream time on its way there.
        return Math.max(0, partitionTime);
    }
}
