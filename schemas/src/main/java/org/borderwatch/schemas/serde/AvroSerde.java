package org.borderwatch.schemas.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.borderwatch.schemas.AvroTrust;
import org.borderwatch.schemas.SchemaHistory;

/**
 * Avro single-object encoding (marker {@code C3 01}, the writer schema's 8-byte CRC-64-AVRO fingerprint, then the
 * binary body), so every record names its schema without a registry. Records written with any released version of
 * the schema decode into the current generated class; bytes that are not single-object encoded, or that carry an
 * unknown fingerprint, raise {@link SerializationException} (Kafka Streams routes those to the dead-letter topic).
 *
 * <p>Instances are thread-safe: Avro's message encoder and decoder keep per-thread buffers.
 */
public final class AvroSerde<T extends SpecificRecordBase> implements Serde<T>, Serializer<T>, Deserializer<T> {

    private final Class<T> type;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    AvroSerde(final Class<T> type, final Schema current, final List<Schema> released) {
        AvroTrust.install();
        this.type = type;
        final SpecificData model = SpecificData.getForClass(type);
        this.encoder = new BinaryMessageEncoder<>(model, current);
        this.decoder = new BinaryMessageDecoder<>(model, current);
        for (final Schema version : released) {
            decoder.addSchema(version);
        }
    }

    /** A serde for a generated record class that also decodes every released version of its schema. */
    public static <T extends SpecificRecordBase> AvroSerde<T> of(final Class<T> type) {
        final Schema current = SpecificData.get().getSchema(type);
        return new AvroSerde<>(type, current, SchemaHistory.releasedVersions(current.getName()));
    }

    public Class<T> type() {
        return type;
    }

    @Override
    public byte[] serialize(final String topic, final T data) {
        if (data == null) {
            return null;
        }
        try {
            final ByteBuffer buffer = encoder.encode(data);
            final byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (final IOException | AvroRuntimeException e) {
            throw new SerializationException("cannot encode " + type.getSimpleName() + " for topic " + topic, e);
        }
    }

    @Override
    public T deserialize(final String topic, final byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return decoder.decode(data);
        } catch (final IOException | RuntimeException e) {
            throw new SerializationException("cannot decode " + type.getSimpleName() + " from topic " + topic
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(final Map<String, ?> configs, final boolean isKey) {
        // Nothing to configure: the schema comes from the generated class.
    }

    @Override
    public void close() {
        // Nothing to release: the serde is shared and stateless apart from thread-local buffers.
    }
}
