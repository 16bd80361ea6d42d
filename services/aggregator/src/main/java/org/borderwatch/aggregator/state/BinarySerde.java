package org.borderwatch.aggregator.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Compact binary encoding of the aggregator's internal state (store values, the roll-up repartition topic). These
 * records never leave the application, so they skip Avro; each starts with a format version byte so a later release
 * can still read what an earlier one wrote to a changelog.
 */
public abstract class BinarySerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {

    private final int version;

    protected BinarySerde(final int version) {
        this.version = version;
    }

    protected abstract void write(DataOutput out, T value) throws IOException;

    protected abstract T read(DataInput in, int writtenVersion) throws IOException;

    @Override
    public final byte[] serialize(final String topic, final T value) {
        if (value == null) {
            return null;
        }
        try {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            final DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(version);
            write(out, value);
            out.flush();
            return bytes.toByteArray();
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
            final DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
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
