package org.borderwatch.ingest.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The NDJSON splitter, which reads eight bytes at a time, finds the lines a byte-by-byte scan finds. */
class BatchLinesTest {

    private static final byte[] BYTES = {'\n', '\n', '\r', ' ', '\t', '{', '}', 'a', (byte) 0x8A, (byte) 0xFF, 0x0B,
        0x09, 0x00};

    @Test
    void shouldSplitAsAByteByByteScanWhenBodiesAreRandom() {
        final Random random = new Random(20261206L);
        for (int i = 0; i < 20_000; i++) {
            final byte[] body = new byte[random.nextInt(i % 10 == 0 ? 2_000 : 40)];
            for (int k = 0; k < body.length; k++) {
                body[k] = random.nextInt(3) == 0 ? BYTES[random.nextInt(BYTES.length)] : (byte) random.nextInt();
            }
            assertThat(BatchController.lines(body)).as("body %d", i).containsExactly(byteByByte(body));
        }
    }

    @Test
    void shouldNumberBlankLinesAndKeepTheLastLineWhenItHasNoNewline() {
        final byte[] body = "{\"a\":1}\n\n  \r\n{\"b\":2}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        assertThat(BatchController.lines(body)).containsExactly(0, 7, -1, 8, -1, 12, 13, 20);
    }

    /** The reference: one byte at a time. */
    private static int[] byteByByte(final byte[] body) {
        final List<Integer> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '\n') {
                boolean blank = true;
                for (int k = start; k < i; k++) {
                    blank &= body[k] == ' ' || body[k] == '\t' || body[k] == '\r';
                }
                lines.add(blank ? -1 : start);
                lines.add(i);
                start = i + 1;
            }
        }
        return lines.stream().mapToInt(Integer::intValue).toArray();
    }
}
