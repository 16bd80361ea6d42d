package org.borderwatch.aggregator.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Map;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Compact binary encoding of the aggregator's internal state (store values, the roll-up repartition topic). These
 * records never leave the application, so they skip Avro; each starts with a format version byte so a later release
 * can still read what an earlier one wrote to a changelog. The bytes are those of {@code DataOutputStream}
 * (big-endian, modified UTF-8), read and written directly on byte arrays: decoding runs on every bucket read.
 */
public abstract class BinarySerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {

    private final int version;

    protected BinarySerde(final int version) {
        this.version = version;
    }

    /**
     * The format version {@code value} is written in: by default the newest. A subclass may answer an older version
     * when the value needs nothing newer, so that earlier releases can still read it.
     */
    protected int versionFor(final T value) {
        return version;
    }

    protected abstract void write(DataOutput out, T value) throws IOException;

    protected abstract T read(DataInput in, int writtenVersion) throws IOException;

    @Override
    public final byte[] serialize(final String topic, final T value) {
        if (value == null) {
            return null;
        }
        try {
            final ByteArrayDataOutput out = new ByteArrayDataOutput(128);
            out.writeByte(versionFor(value));
            write(out, value);
            return out.toByteArray();
        } catch (final IOException e) {
            throw new SerializationException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    @Override
    public final T deserialize(final String topic, final byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            final ByteArrayDataInput in = new ByteArrayDataInput(data);
            final int writtenVersion = in.readUnsignedByte();
            if (writtenVersion > version) {
                throw new SerializationException(getClass().getSimpleName() + " reads format versions up to " + version
                        + " but found " + writtenVersion + ": state written by a newer aggregator release");
            }
            return read(in, writtenVersion);
        } catch (final IOException e) {
            throw new SerializationException("cannot decode state with " + getClass().getSimpleName(), e);
        }
    }

    /** A nullable enum constant, written by name so that adding symbols to the Avro enum never shifts stored data. */
    protected static void writeEnum(final DataOutput out, final Enum<?> value) throws IOException {
        out.writeUTF(value == null ? "" : value.name());
    }

    protected static <E extends Enum<E>> E readEnum(final DataInput in, final Class<E> type) throws IOException {
        final String name = in.readUTF();
        return name.isEmpty() ? null : Enum.valueOf(type, name);
    }

    @Override
    public final void configure(final Map<String, ?> configs, final boolean isKey) {
        // Nothing to configure: the format is fixed by the subclass.
    }

    @Override
    public final void close() {
        // Stateless: nothing to release.
    }

    @Override
    public final Serializer<T> serializer() {
        return this;
    }

    @Override
    public final Deserializer<T> deserializer() {
        return this;
    }
}
