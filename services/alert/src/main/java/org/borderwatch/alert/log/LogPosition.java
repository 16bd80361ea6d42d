package org.borderwatch.alert.log;

import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A position in {@code border.alerts.v1}: for every partition, the offset of the next record not yet seen. It is
 * the SSE event id ({@code 12.0.7.3.0.5}): a client that reconnects with it as Last-Event-ID gets exactly the
 * records at or after these offsets, whichever instance serves it and however often the service restarted, because
 * Kafka offsets never change. Mutable: a stream cursor advances it in place.
 */
public final class LogPosition {

    private static final Pattern FORMAT = Pattern.compile("\\d{1,19}(\\.\\d{1,19}){0,1023}");

    private final long[] next;

    private LogPosition(final long[] next) {
        this.next = next;
    }

    public static LogPosition of(final long... next) {
        return new LogPosition(next.clone());
    }

    /** Parses an event id; empty when it is not one (the stream then starts at the live end). */
    public static Optional<LogPosition> parse(final String id, final int partitions) {
        if (id == null || !FORMAT.matcher(id.strip()).matches()) {
            return Optional.empty();
        }
        final String[] parts = id.strip().split("\\.");
        // Partitions added since the id was issued start at 0, which is what their whole content is "after".
        final long[] next = new long[Math.max(partitions, parts.length)];
        try {
            for (int i = 0; i < parts.length; i++) {
                next[i] = Long.parseLong(parts[i]);
            }
        } catch (final NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.of(new LogPosition(next));
    }

    public long next(final int partition) {
        return partition < next.length ? next[partition] : 0;
    }

    /** Whether the record at ({@code partition}, {@code offset}) lies at or after this position. */
    public boolean isBefore(final int partition, final long offset) {
        return offset >= next(partition);
    }

    /** Moves past the record at ({@code partition}, {@code offset}). */
    public void advancePast(final int partition, final long offset) {
        if (partition < next.length && offset >= next[partition]) {
            next[partition] = offset + 1;
        }
    }

    public LogPosition copy() {
        return new LogPosition(next.clone());
    }

    public String id() {
        return Arrays.stream(next).mapToObj(Long::toString).collect(Collectors.joining("."));
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof LogPosition that && Arrays.equals(next, that.next);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(next);
    }

    @Override
    public String toString() {
        return id();
    }
}
