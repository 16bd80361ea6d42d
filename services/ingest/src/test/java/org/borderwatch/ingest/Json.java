package org.borderwatch.ingest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes test bodies as JSON, escaping every non-ASCII character, so a test can send any string, even one no
 * Unicode encoding can carry (an unpaired surrogate), exactly as intended.
 */
public final class Json {

    private Json() {
    }

    public static byte[] bytes(final Object value) {
        return write(value).getBytes(StandardCharsets.UTF_8);
    }

    public static String write(final Object value) {
        final StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(final Object value, final StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (final Map.Entry<?, ?> entry : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(String.valueOf(entry.getKey()), out);
                out.append(':');
                write(entry.getValue(), out);
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(list.get(i), out);
            }
            out.append(']');
        } else if (value instanceof Number || value instanceof Boolean || value instanceof Raw) {
            out.append(value);
        } else {
            string(value.toString(), out);
        }
    }

    private static void string(final String text, final StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    /** JSON text written as is, e.g. a number no Java type holds: {@code new Raw("1e999999")}. */
    public record Raw(String json) {
        @Override
        public String toString() {
            return json;
        }
    }
}
