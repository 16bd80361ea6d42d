package org.borderwatch.schemas.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
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
 * <p>Decoding reads the header itself and hands the body to a buffered {@link BinaryDecoder} over the array: Avro's
 * {@code BinaryMessageDecoder} reads it through a direct decoder over a {@code ByteArrayInputStream}, a synchronized
 * call per byte, and that decode was a fifth of the aggregator's CPU in a catch-up (JFR, December 2026). The datum
 * readers are the ones Avro's message decoder builds ({@code SpecificData#createDatumReader(writer, reader)}).
 *
 * <p>Encoding is Avro's {@link BinaryMessageEncoder}, except for the two report types, whose records ingest writes
 * at the rate of the raw producer: {@link ReportEncoding} writes the same bytes by hand.
 *
 * <p>Instances are thread-safe: the encoder and the decoders are per thread, datum readers are shared, as Avro's
 * message decoder shares them.
 */
public final class AvroSerde<T extends SpecificRecordBase> implements Serde<T>, Serializer<T>, Deserializer<T> {

    private final Class<T> type;
    private static final int HEADER_LENGTH = 10;
    private static final ThreadLocal<BinaryDecoder> DECODERS = new ThreadLocal<>();

    private final BinaryMessageEncoder<T> encoder;
    /** The two report types' own encoder ({@link ReportEncoding}), null for every other type. */
    private final ReportEncoding.Encoder<T> handWritten;
    /** A reader per writer schema this serde decodes (current and released), by CRC-64-AVRO fingerprint. */
    private final Map<Long, DatumReader<T>> readers = new HashMap<>();

    AvroSerde(final Class<T> type, final Schema current, final List<Schema> released) {
        AvroTrust.install();
        this.type = type;
        final SpecificData model = SpecificData.getForClass(type);
        this.encoder = new BinaryMessageEncoder<>(model, current);
        this.handWritten = ReportEncoding.forType(type, current);
        addReader(model, current, current);
        for (final Schema version : released) {
            addReader(model, version, current);
        }
    }

    @SuppressWarnings("unchecked")
    private void addReader(final SpecificData model, final Schema writer, final Schema reader) {
        readers.put(SchemaNormalization.parsingFingerprint64(writer),
                (DatumReader<T>) model.createDatumReader(writer, reader));
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
            if (handWritten != null) {
                return handWritten.encode(data);
            }
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
        if (data.length < HEADER_LENGTH || data[0] != (byte) 0xC3 || data[1] != (byte) 0x01) {
            throw new SerializationException("cannot decode " + type.getSimpleName() + " from topic " + topic
                    + ": not Avro single-object encoding (it starts with the marker C3 01 and an 8-byte schema"
                    + " fingerprint)");
        }
        long fingerprint = 0;
        for (int i = 0; i < 8; i++) {
            fingerprint |= (data[2 + i] & 0xFFL) << (8 * i);
        }
        final DatumReader<T> reader = readers.get(fingerprint);
        if (reader == null) {
            throw new SerializationException("cannot decode " + type.getSimpleName() + " from topic " + topic
                    + ": unknown schema fingerprint " + Long.toHexString(fingerprint) + " (not the current or a"
                    + " released version of " + type.getSimpleName() + ")");
        }
        try {
            final BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, HEADER_LENGTH,
                    data.length - HEADER_LENGTH, DECODERS.get());
            DECODERS.set(decoder);
            return reader.read(null, decoder);
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
