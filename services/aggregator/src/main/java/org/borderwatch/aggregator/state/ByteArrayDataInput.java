package org.borderwatch.aggregator.state;

import java.io.DataInput;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@link DataInput} over a byte array, reading exactly what {@link java.io.DataOutputStream} writes, without the
 * per-byte synchronized reads of {@code DataInputStream(ByteArrayInputStream)}: state is decoded on every bucket read
 * of every report, so this is on the hot path. Not thread-safe; one instance per decode.
 */
final class ByteArrayDataInput implements DataInput {

    private final byte[] bytes;
    private int position;

    ByteArrayDataInput(final byte[] bytes) {
        this.bytes = bytes;
    }

    private int require(final int length) throws EOFException {
        final int at = position;
        if (length > bytes.length - at) {
            throw new EOFException("needs " + length + " more bytes at " + at + " of " + bytes.length);
        }
        position = at + length;
        return at;
    }

    @Override
    public void readFully(final byte[] target) throws IOException {
        readFully(target, 0, target.length);
    }

    @Override
    public void readFully(final byte[] target, final int offset, final int length) throws IOException {
        System.arraycopy(bytes, require(length), target, offset, length);
    }

    @Override
    public int skipBytes(final int n) {
        final int skipped = Math.max(0, Math.min(n, bytes.length - position));
        position += skipped;
        return skipped;
    }

    @Override
    public boolean readBoolean() throws IOException {
        return bytes[require(1)] != 0;
    }

    @Override
    public byte readByte() throws IOException {
        return bytes[require(1)];
    }

    @Override
    public int readUnsignedByte() throws IOException {
        return bytes[require(1)] & 0xff;
    }

    @Override
    public short readShort() throws IOException {
        final int at = require(2);
        return (short) (((bytes[at] & 0xff) << 8) | (bytes[at + 1] & 0xff));
    }

    @Override
    public int readUnsignedShort() throws IOException {
        final int at = require(2);
        return ((bytes[at] & 0xff) << 8) | (bytes[at + 1] & 0xff);
    }

    @Override
    public char readChar() throws IOException {
        return (char) readUnsignedShort();
    }

    @Override
    public int readInt() throws IOException {
        final int at = require(4);
        return ((bytes[at] & 0xff) << 24) | ((bytes[at + 1] & 0xff) << 16) | ((bytes[at + 2] & 0xff) << 8)
                | (bytes[at + 3] & 0xff);
    }

    @Override
    public long readLong() throws IOException {
        final int at = require(8);
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (bytes[at + i] & 0xff);
        }
        return value;
    }

    @Override
    public float readFloat() throws IOException {
        return Float.intBitsToFloat(readInt());
    }

    @Override
    public double readDouble() throws IOException {
        return Double.longBitsToDouble(readLong());
    }

    @Override
    public String readLine() {
        throw new UnsupportedOperationException("state formats have no lines");
    }

    /**
     * Modified UTF-8 as {@link java.io.DataOutputStream#writeUTF} writes it. Identifiers, enum names and agency ids
     * are ASCII, where modified UTF-8 is one byte per character: those are decoded in one step.
     */
    @Override
    public String readUTF() throws IOException {
        final int length = readUnsignedShort();
        final int at = position;
        require(length);
        for (int i = at; i < at + length; i++) {
            if (bytes[i] <= 0) {
                // Not plain ASCII (a multi-byte sequence, or an encoded NUL): the JDK's own decoder.
                position = at - 2;
                return DataInputStream.readUTF(this);
            }
        }
        return new String(bytes, at, length, StandardCharsets.ISO_8859_1);
    }
}
