package org.borderwatch.aggregator.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

import org.junit.jupiter.api.Test;

/** The array-backed state I/O reads and writes exactly the bytes of DataInputStream/DataOutputStream. */
class ByteArrayDataTest {

    private static final String[] TEXTS = {"", "tj-border-guard", "HEROIN", "Хатлон-агентство", "a\u0000b",
        "emoji \uD83D\uDE80", "x".repeat(300)};

    @Test
    void shouldWriteTheSameBytesAsDataOutputStreamWhenEncoding() throws IOException {
        final ByteArrayOutputStream reference = new ByteArrayOutputStream();
        final DataOutputStream expected = new DataOutputStream(reference);
        final ByteArrayDataOutput actual = new ByteArrayDataOutput(4);
        for (final String text : TEXTS) {
            expected.writeUTF(text);
            actual.writeUTF(text);
        }
        expected.writeLong(-1234567890123L);
        actual.writeLong(-1234567890123L);
        expected.writeDouble(12.5);
        actual.writeDouble(12.5);
        expected.writeInt(-7);
        actual.writeInt(-7);
        expected.writeShort(65535);
        actual.writeShort(65535);
        expected.writeByte(200);
        actual.writeByte(200);

        assertThat(actual.toByteArray()).isEqualTo(reference.toByteArray());
    }

    @Test
    void shouldReadBackWhatDataOutputStreamWroteWhenDecoding() throws IOException {
        final ByteArrayOutputStream reference = new ByteArrayOutputStream();
        final DataOutputStream out = new DataOutputStream(reference);
        for (final String text : TEXTS) {
            out.writeUTF(text);
        }
        out.writeLong(Long.MIN_VALUE);
        out.writeDouble(-0.7);
        out.writeInt(Integer.MAX_VALUE);
        out.writeShort(40000);
        out.writeByte(200);

        final ByteArrayDataInput in = new ByteArrayDataInput(reference.toByteArray());
        for (final String text : TEXTS) {
            assertThat(in.readUTF()).isEqualTo(text);
        }
        assertThat(in.readLong()).isEqualTo(Long.MIN_VALUE);
        assertThat(in.readDouble()).isEqualTo(-0.7);
        assertThat(in.readInt()).isEqualTo(Integer.MAX_VALUE);
        assertThat(in.readUnsignedShort()).isEqualTo(40000);
        assertThat(in.readUnsignedByte()).isEqualTo(200);
        assertThatThrownBy(in::readByte).isInstanceOf(EOFException.class);
    }
}
