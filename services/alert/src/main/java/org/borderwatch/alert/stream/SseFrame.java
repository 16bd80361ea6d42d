package org.borderwatch.alert.stream;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * One Server-Sent Event, already encoded as the bytes of the wire format. A change going to ten thousand streams is
 * encoded once and the same bytes are written to each ({@link SseFrameWriter} wraps them without copying), instead of
 * Micronaut encoding an {@code Event<String>} per stream (UTF-8 encode, line scan, a buffer per stream). Never
 * modified after construction: many connections read the same array.
 *
 * @param bytes  the event, ending with its blank line
 * @param change an alert change (counted against the stream's backlog), not a comment
 */
public record SseFrame(byte[] bytes, boolean change) {

    /** Line terminators of the event-stream format: each data line becomes its own {@code data:} field. */
    private static final Pattern LINES = Pattern.compile("\r\n|\r|\n");

    /** {@code id}, {@code event} and one {@code data} line per line of {@code data}, then the blank line. */
    public static SseFrame event(final String id, final String name, final String data) {
        final StringBuilder text = new StringBuilder(data.length() + id.length() + name.length() + 32);
        text.append("id: ").append(id).append('\n').append("event: ").append(name).append('\n');
        for (final String line : LINES.split(data, -1)) {
            text.append("data: ").append(line).append('\n');
        }
        text.append('\n');
        return new SseFrame(text.toString().getBytes(StandardCharsets.UTF_8), true);
    }

    /** A comment line ({@code : text}), which clients ignore: the stream's opening line and heartbeats. */
    public static SseFrame comment(final String comment) {
        return new SseFrame((": " + LINES.matcher(comment).replaceAll(" ") + "\n\n")
                .getBytes(StandardCharsets.UTF_8), false);
    }

    /** The event as text, for logs and tests. */
    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
