package org.borderwatch.aggregator.window;

import java.time.Duration;

/**
 * The size of a base bucket. Only base buckets are stored; every window is computed as the sum of the buckets it
 * covers. Buckets are aligned to the epoch, so days are UTC days.
 */
public enum Granularity {
    /** Only kept when a configured window is not whole hours (e.g. {@code PT1M}, {@code PT10M/PT1M}). */
    MINUTELY(Duration.ofMinutes(1)),
    HOURLY(Duration.ofHours(1)),
    DAILY(Duration.ofDays(1));

    private final Duration size;
    private final long millis;

    Granularity(final Duration size) {
        this.size = size;
        this.millis = size.toMillis();
    }

    public Duration size() {
        return size;
    }

    public long millis() {
        return millis;
    }

    /** The start of the bucket that holds {@code time}. */
    public long bucketStart(final long time) {
        return Math.floorDiv(time, millis) * millis;
    }

    /** The coarsest granularity whose buckets tile windows of this size and advance. */
    public static Granularity of(final Duration size, final Duration advance) {
        if (isMultiple(size, DAILY.size) && isMultiple(advance, DAILY.size)) {
            return DAILY;
        }
        if (isMultiple(size, HOURLY.size) && isMultiple(advance, HOURLY.size)) {
            return HOURLY;
        }
        if (isMultiple(size, MINUTELY.size) && isMultiple(advance, MINUTELY.size)) {
            return MINUTELY;
        }
        throw new IllegalArgumentException("window size " + size + " and advance " + advance
                + " must be whole minutes (the aggregator keeps minutely, hourly and daily buckets)");
    }

    private static boolean isMultiple(final Duration value, final Duration unit) {
        return !value.isZero() && !value.isNegative() && value.toMillis() % unit.toMillis() == 0;
    }
}
