package org.borderwatch.aggregator.state;

import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.util.Arrays;

/**
 * {@link DataOutput} into a growing byte array, writing exactly what {@link DataOutputStream} writes, without its
 * synchronized stream layers. Not thread-safe; one instance per encode.
 */
final class ByteArrayDataOutput implements DataOutput {

    private byte[] bytes;
    private int size;

    ByteArrayDataOutput(final int capacity) {
        this.bytes = new byte[capacity];
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    private int reserve(final int length) {
        final int at = size;
        if (length > bytes.length - at) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, at + length));
        }
        size = at + length;
        return at;
    }

    @Override
    public void write(final int b) {
        final int at = reserve(1); // before reading the field: reserve may replace the array
        bytes[at] = (byte) b;
    }

    @Override
    public void write(final byte[] b) {
        write(b, 0, b.length);
    }

    @Override
    public void write(final byte[] b, final int off, final int len) {
        final int at = reserve(len);
        System.arraycopy(b, off, bytes, at, len);
    }

    @Override
    public void writeBoolean(final boolean v) {
        write(v ? 1 : 0);
    }

    @Override
    public void writeByte(final int v) {
        write(v);
    }

    @Override
    public void writeShort(final int v) {
        final int at = reserve(2);
        bytes[at] = (byte) (v >>> 8);
        bytes[at + 1] = (byte) v;
    }

    @Override
    public void writeChar(final int v) {
        writeShort(v);
    }

    @Override
    public void writeInt(final int v) {
        final int at = reserve(4);
        bytes[at] = (byte) (v >>> 24);
        bytes[at + 1] = (byte) (v >>> 16);
        bytes[at + 2] = (byte) (v >>> 8);
        bytes[at + 3] = (byte) v;
    }

    @Override
    public void writeLong(final long v) {
        final int at = reserve(8);
        for (int i = 0; i < 8; i++) {
            bytes[at + i] = (byte) (v >>> (56 - 8 * i));
        }
    }

    @Override
    public void writeFloat(final float v) {
        writeInt(Float.floatToIntBits(v));
    }

    @Override
    public void writeDouble(final double v) {
        writeLong(Double.doubleToLongBits(v));
    }

    @Override
    public void writeBytes(final String s) {
        final int at = reserve(s.length());
        for (int i = 0; i < s.length(); i++) {
            bytes[at + i] = (byte) s.charAt(i);
        }
    }

    @Override
    public void writeChars(final String s) {
        for (int i = 0; i < s.length(); i++) {
            writeChar(s.charAt(i));
        }
    }

    /** Modified UTF-8, as {@link DataOutputStream#writeUTF}; ASCII (the usual case) one byte per character. */
    @Override
    public void writeUTF(final String s) throws IOException {
        final int length = s.length();
        boolean ascii = length <= 65535;
        for (int i = 0; ascii && i < length; i++) {
            final char c = s.charAt(i);
            ascii = c >= 1 && c <= 127;
        }
        if (!ascii) {
            final java.io.ByteArrayOutputStream encoded = new java.io.ByteArrayOutputStream(length * 3 + 2);
            new DataOutputStream(encoded).writeUTF(s);
            if (encoded.size() > 65537) {
                throw new UTFDataFormatException("encoded string too long: " + encoded.size() + " bytes");
            }
            write(encoded.toByteArray());
            return;
        }
        writeShort(length);
        writeBytes(s);
    }
}
