package org.borderwatch.bench.expected;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A window as the aggregator is configured with it ({@code borderwatch.aggregator.windows}): {@code SIZE} tumbling or
 * {@code SIZE/ADVANCE} hopping, ISO-8601 durations, starts aligned to multiples of the advance since the epoch.
 *
 * @param name the size as written ({@code PT24H}); it is the window field of every output key
 */
public record Window(String name, long sizeMs, long advanceMs) {

    /** The aggregator's default windows; the verifier passes exactly these to the service it starts. */
    public static final String DEFAULT_SPEC = "PT1H,PT24H/PT1H,P7D/P1D";

    public Window {
        if (sizeMs <= 0 || advanceMs <= 0 || advanceMs > sizeMs) {
            throw new IllegalArgumentException("window " + name + ": need 0 < advance <= size");
        }
    }

    /** {@code PT1H,PT24H/PT1H,P7D/P1D} → three windows. */
    public static List<Window> parse(final String spec) {
        final List<Window> windows = new ArrayList<>();
        for (final String part : spec.split(",")) {
            final String[] sizeAndAdvance = part.strip().split("/");
            final String size = sizeAndAdvance[0].strip();
            final String advance = sizeAndAdvance.length > 1 ? sizeAndAdvance[1].strip() : size;
            windows.add(new Window(size, Duration.parse(size).toMillis(), Duration.parse(advance).toMillis()));
        }
        return List.copyOf(windows);
    }

    /** Every window start {@code s} with {@code s <= time < s + size}, latest first. */
    public long[] startsContaining(final long time) {
        final long[] starts = new long[(int) ((sizeMs + advanceMs - 1) / advanceMs)];
        int count = 0;
        for (long start = Math.floorDiv(time, advanceMs) * advanceMs; start + sizeMs > time; start -= advanceMs) {
            starts[count++] = start;
        }
        return Arrays.copyOf(starts, count);
    }
}
