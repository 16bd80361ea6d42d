package org.borderwatch.aggregator.window;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * One configured window: tumbling when {@code advance == size}, hopping otherwise. Windows start at multiples of
 * the advance since the epoch (UTC), like Kafka Streams' own time windows.
 *
 * @param name the ISO-8601 duration exactly as configured ({@code PT1H}, {@code PT24H}, {@code P7D}); it appears
 *             in output keys, in {@code ThreatAggregate.window} and in {@code Breach.window}
 */
public record WindowSpec(String name, Duration size, Duration advance) {

    public WindowSpec {
        if (advance.compareTo(size) > 0) {
            throw new IllegalArgumentException("window " + name + ": advance " + advance + " is larger than the size");
        }
        Granularity.of(size, advance);
    }

    public static WindowSpec tumbling(final String size) {
        return hopping(size, size);
    }

    public static WindowSpec hopping(final String size, final String advance) {
        final Duration sizeDuration = parse(size);
        final Duration advanceDuration = parse(advance);
        return new WindowSpec(size, sizeDuration, advanceDuration);
    }

    /** The base buckets this window is summed from. */
    public Granularity granularity() {
        return Granularity.of(size, advance);
    }

    /** The configured window whose size equals {@code window} ({@code P1D} and {@code PT24H} are the same size). */
    public static Optional<WindowSpec> find(final List<WindowSpec> windows, final String window) {
        final Duration size;
        try {
            size = Duration.parse(window);
        } catch (final DateTimeParseException | NullPointerException e) {
            return Optional.empty();
        }
        return windows.stream().filter(spec -> spec.size.equals(size)).findFirst();
    }

    public long sizeMs() {
        return size.toMillis();
    }

    public long advanceMs() {
        return advance.toMillis();
    }

    /** The earliest window start whose window contains {@code time}. */
    public long firstStartContaining(final long time) {
        return Math.floorDiv(time - sizeMs(), advanceMs()) * advanceMs() + advanceMs();
    }

    /** The latest window start whose window contains {@code time}. */
    public long lastStartContaining(final long time) {
        return Math.floorDiv(time, advanceMs()) * advanceMs();
    }

    /**
     * The current window at {@code time}: of the windows containing it, the one that ends first, i.e. the trailing
     * {@code size} up to the next advance boundary (for {@code PT24H} by {@code PT1H} at 14:20, 15:00 yesterday to
     * 15:00 today). As every metric only grows with more events, it holds the largest value of any window containing
     * {@code time}, and it is the one rules are evaluated against.
     */
    public long currentStart(final long time) {
        return firstStartContaining(time);
    }

    private static Duration parse(final String iso) {
        try {
            return Duration.parse(iso);
        } catch (final DateTimeParseException e) {
            throw new IllegalArgumentException("'" + iso + "' is not an ISO-8601 duration such as PT1H or P7D", e);
        }
    }
}
