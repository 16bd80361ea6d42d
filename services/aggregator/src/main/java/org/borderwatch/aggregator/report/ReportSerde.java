package org.borderwatch.aggregator.report;

import java.io.IOException;
import java.util.Map;
import java.util.function.BiFunction;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.borderwatch.avro.BorderIncident;
import org.borderwatch.avro.DrugSeizure;
import org.borderwatch.schemas.Topic;
import org.borderwatch.schemas.Topics;

/**
 * Decodes an event topic's value and keeps the original bytes next to the decoded report, so each event is decoded
 * exactly once and a late report can still be forwarded as published. A record of the current schema is read by
 * {@link ReportDecoder} straight into the report; any other (a released older schema, or bytes that are not a
 * report) goes through the registry's Avro serde as before. Bytes that do not decode raise
 * {@code SerializationException}, which Kafka Streams hands to the deserialization exception handler (dead-letter
 * topic). Serializing writes back the original bytes.
 */
public final class ReportSerde implements Serde<Report>, Serializer<Report>, Deserializer<Report> {

    private final ReportDecoder current;
    private final Deserializer<?> decoder;
    private final BiFunction<Object, byte[], Report> toReport;

    private <T> ReportSerde(final ReportDecoder current, final Topic<String, T> topic,
                            final BiFunction<T, byte[], Report> toReport) {
        this.current = current;
        this.decoder = topic.valueSerde().deserializer();
        @SuppressWarnings("unchecked") final BiFunction<Object, byte[], Report> untyped =
                (value, bytes) -> toReport.apply((T) value, bytes);
        this.toReport = untyped;
    }

    public static ReportSerde incidents() {
        return new ReportSerde(ReportDecoder.incidents(), Topics.INCIDENTS,
                (BorderIncident incident, byte[] bytes) -> Report.of(incident, bytes));
    }

    public static ReportSerde seizures() {
        return new ReportSerde(ReportDecoder.seizures(), Topics.SEIZURES,
                (DrugSeizure seizure, byte[] bytes) -> Report.of(seizure, bytes));
    }

    @Override
    public Report deserialize(final String topic, final byte[] data) {
        if (data == null) {
            return null;
        }
        if (current.reads(data)) {
            try {
                return current.decode(data);
            } catch (final IOException | RuntimeException e) {
                throw new SerializationException("cannot decode " + current.type() + " from topic " + topic + ": "
                        + e.getMessage(), e);
            }
        }
        return toReport.apply(decoder.deserialize(topic, data), data);
    }

    @Override
    public byte[] serialize(final String topic, final Report report) {
        return report == null ? null : report.payload();
    }

    @Override
    public void configure(final Map<String, ?> configs, final boolean isKey) {
        // Nothing to configure: the schema comes from the registry's serde.
    }

    @Override
    public void close() {
        // The registry's serde is shared; it is not ours to close.
    }

    @Override
    public Serializer<Report> serializer() {
        return this;
    }

    @Override
    public Deserializer<Report> deserializer() {
        return this;
    }
}
