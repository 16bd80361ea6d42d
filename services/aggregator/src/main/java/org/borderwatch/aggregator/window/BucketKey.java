package org.borderwatch.aggregator.window;

import org.borderwatch.avro.ThreatType;

/**
 * Keys of the bucket and pending-emit stores: {@code code|threatType}, where code is a region ({@code TJ-KT}) or a
 * country ({@code TJ}) for the roll-up.
 */
public record BucketKey(String code, ThreatType threatType) {

    public static final char SEPARATOR = '|';

    public static String of(final String code, final ThreatType threatType) {
        return code + SEPARATOR + threatType.name();
    }

    public static BucketKey parse(final String key) {
        final int separator = key.lastIndexOf(SEPARATOR);
        return new BucketKey(key.substring(0, separator), ThreatType.valueOf(key.substring(separator + 1)));
    }

    @Override
    public String toString() {
        return of(code, threatType);
    }
}
