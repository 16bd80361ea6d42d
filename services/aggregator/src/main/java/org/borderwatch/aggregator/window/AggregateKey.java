package org.borderwatch.aggregator.window;

import org.borderwatch.avro.ThreatAggregate;

/**
 * The output key of {@code border.threat-aggregates.v1}: {@code region|threatType|window|windowStart}, with the
 * window as configured (ISO-8601 duration, {@code PT24H}) and the start as an ISO-8601 instant in UTC
 * ({@code 2026-03-02T10:00:00Z}): readable in any Kafka tool, and it sorts by time within one window.
 * Example: {@code TJ-KT|DRUG_TRAFFICKING|PT24H|2026-03-02T10:00:00Z}.
 */
public final class AggregateKey {

    private AggregateKey() {
    }

    public static String of(final ThreatAggregate aggregate) {
        return aggregate.getRegion() + BucketKey.SEPARATOR + aggregate.getThreatType().name() + BucketKey.SEPARATOR
                + aggregate.getWindow() + BucketKey.SEPARATOR + aggregate.getWindowStart();
    }
}
