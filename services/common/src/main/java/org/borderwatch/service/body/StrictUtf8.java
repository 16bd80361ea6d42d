package org.borderwatch.service.body;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * Strict UTF-8 (RFC 3629): refuses what lenient decoders replace or quietly normalise — overlong forms ({@code C0 AF}
 * would otherwise become {@code /}), encoded UTF-16 surrogates, code points beyond U+10FFFF, stray continuation
 * bytes, bytes that never occur in UTF-8 and sequences cut short. Says where, as a byte offset, so a client can find
 * the bad byte in what it sent.
 */
public final class StrictUtf8 {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private StrictUtf8() {
    }

    /** Why {@code bytes} are not UTF-8: the offset of the first bad sequence, and what is wrong with it. */
    public record Malformation(int offset, String reason) {

        public String describe() {
            return "The body is not valid UTF-8: " + reason + " at byte offset " + offset
                    + ". Send every text as UTF-8 (RFC 3629).";
        }
    }

    /** The first malformation in {@code bytes[from, to)}, with offsets counted from {@code from}; null if none. */
    public static Malformation check(final byte[] bytes, final int from, final int to) {
        int i = from;
        while (i < to) {
            // Eight ASCII bytes at a time: a JSON body is nearly all ASCII, and every body of every request
            // passes here (a batch of 1,000 lines is ~500 KB).
            while (i + Long.BYTES <= to && ((long) LONGS.get(bytes, i) & HIGH_BITS) == 0) {
                i += Long.BYTES;
            }
            if (i == to) {
                break;
            }
            final int lead = bytes[i] & 0xFF;
            if (lead < 0x80) {
                i++;
                continue;
            }
            final int length;
            final int min;
            final int max;
            if (lead >= 0xC2 && lead <= 0xDF) {
                length = 2;
                min = 0x80;
                max = 0xBF;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                length = 3;
                // E0 80..9F would be overlong; ED A0..BF would encode a UTF-16 surrogate (Table 3-7 of Unicode).
                min = lead == 0xE0 ? 0xA0 : 0x80;
                max = lead == 0xED ? 0x9F : 0xBF;
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                length = 4;
                // F0 80..8F would be overlong; F4 90.. lies beyond U+10FFFF.
                min = lead == 0xF0 ? 0x90 : 0x80;
                max = lead == 0xF4 ? 0x8F : 0xBF;
            } else {
                return new Malformation(i - from, leadReason(lead));
            }
            for (int k = 1; k < length; k++) {
                if (i + k >= to) {
                    return new Malformation(i - from, "a " + length + "-byte sequence starting "
                            + hex(bytes, i, to - i) + " is cut short by the end of the body");
                }
                final int next = bytes[i + k] & 0xFF;
                final boolean allowed = k == 1 ? next >= min && next <= max : next >= 0x80 && next <= 0xBF;
                if (!allowed) {
                    return new Malformation(i - from, secondByteReason(lead, next, k, bytes, i));
                }
            }
            i += length;
        }
        return null;
    }

    private static String leadReason(final int lead) {
        if (lead >= 0x80 && lead <= 0xBF) {
            return "byte " + hex(lead) + " is a continuation byte without a leading byte";
        }
        if (lead == 0xC0 || lead == 0xC1) {
            return "byte " + hex(lead) + " starts an overlong (non-shortest) encoding";
        }
        return "byte " + hex(lead) + " never occurs in UTF-8";
    }

    private static String secondByteReason(final int lead, final int next, final int k, final byte[] bytes,
                                           final int start) {
        final String sequence = hex(bytes, start, k + 1);
        if (k == 1 && next >= 0x80 && next <= 0xBF) {
            if (lead == 0xE0 || lead == 0xF0) {
                return "the sequence " + sequence + " is an overlong (non-shortest) encoding";
            }
            if (lead == 0xED) {
                return "the sequence " + sequence + " encodes a UTF-16 surrogate, which UTF-8 may not carry";
            }
            return "the sequence " + sequence + " encodes a code point beyond U+10FFFF";
        }
        return "the sequence " + sequence + " is cut short: byte " + hex(next) + " is not a continuation byte";
    }

    private static String hex(final int value) {
        return String.format(Locale.ROOT, "%02X", value);
    }

    private static String hex(final byte[] bytes, final int from, final int count) {
        final StringBuilder text = new StringBuilder();
        for (int k = 0; k < count; k++) {
            if (k > 0) {
                text.append(' ');
            }
            text.append(hex(bytes[from + k] & 0xFF));
        }
        return text.toString();
    }
}
