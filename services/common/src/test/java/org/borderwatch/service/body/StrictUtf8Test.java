package org.borderwatch.service.body;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** Every way bytes can fail to be UTF-8 is found, at the offset of its first byte; all of Unicode passes. */
class StrictUtf8Test {

    @Test
    void shouldRefuseEachMalformationAtItsOffsetWhenTheBytesAreNotUtf8() {
        assertMalformed("2e2e c0af 2e2e", 2, "overlong");                 // '/' in two bytes
        assertMalformed("41 e0 80 af", 1, "overlong");                    // '/' in three bytes
        assertMalformed("f0 82 82 ac", 0, "overlong");                    // '€' in four bytes
        assertMalformed("61 ed a0 80", 1, "surrogate");                   // U+D800 encoded
        assertMalformed("61 62 e2 82", 2, "cut short by the end");        // '€' without its last byte
        assertMalformed("e2 41 41", 0, "not a continuation byte");
        assertMalformed("41 ff", 1, "never occurs in UTF-8");
        assertMalformed("f4 90 80 80", 0, "beyond U+10FFFF");
        assertMalformed("80", 0, "continuation byte without a leading byte");
    }

    @Test
    void shouldAcceptEveryPlaneWhenTheBytesAreUtf8() {
        final String text = "ASCII, Хатлон, 🚤, \u0000, \uFFFF, " + new String(Character.toChars(0x10FFFF));
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);

        assertThat(StrictUtf8.check(bytes, 0, bytes.length)).isNull();
    }

    @Test
    void shouldFindTheBadByteAtItsOffsetWhereverItStandsInLongAsciiText() {
        // ASCII is skipped eight bytes at a time: a bad byte before, on and after each word boundary, in a slice.
        final byte[] bad = {(byte) 0xC0, (byte) 0xAF};
        for (int from = 0; from < 9; from++) {
            for (int at = 0; at < 40; at++) {
                final byte[] bytes = "x".repeat(from + 48).getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(bad, 0, bytes, from + at, bad.length);
                final StrictUtf8.Malformation malformation = StrictUtf8.check(bytes, from, bytes.length);

                assertThat(malformation).as("from %d, at %d", from, at).isNotNull();
                assertThat(malformation.offset()).as("from %d, at %d", from, at).isEqualTo(at);
                assertThat(StrictUtf8.check(bytes, from, from + at)).as("before it").isNull();
            }
            final byte[] cut = ("x".repeat(from + 20) + "€").getBytes(StandardCharsets.UTF_8);
            assertThat(StrictUtf8.check(cut, from, cut.length - 1)).as("cut short").isNotNull()
                    .extracting(StrictUtf8.Malformation::offset).isEqualTo(20);
        }
    }

    private static void assertMalformed(final String hex, final int offset, final String reason) {
        final byte[] bytes = HexFormat.of().parseHex(hex.replace(" ", ""));
        final StrictUtf8.Malformation malformation = StrictUtf8.check(bytes, 0, bytes.length);
        assertThat(malformation).as(hex).isNotNull();
        assertThat(malformation.offset()).as(hex).isEqualTo(offset);
        assertThat(malformation.describe()).as(hex).contains(reason).contains("at byte offset " + offset);
    }
}
