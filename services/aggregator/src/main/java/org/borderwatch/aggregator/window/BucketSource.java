package org.borderwatch.aggregator.window;

import java.util.NavigableMap;
import java.util.Set;

/**
 * Where the base buckets of one level (regions, or country roll-ups) are read from. Backed by the window stores in
 * the topology, and by the same stores read-only for interactive queries.
 */
public interface BucketSource {

    /** The buckets of {@code key} ({@code code|threatType}) whose start lies in [fromStart, toStart], by start. */
    NavigableMap<Long, Bucket> fetch(Granularity granularity, String key, long fromStart, long toStart);

    /** Every key with at least one bucket starting in [fromStart, toStart]. */
    Set<String> keys(Granularity granularity, long fromStart, long toStart);
}
