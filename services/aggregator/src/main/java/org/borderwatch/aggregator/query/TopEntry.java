package org.borderwatch.aggregator.query;

import io.micronaut.core.annotation.Nullable;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

/**
 * One region (or country) in {@code GET /v1/aggregates/top}: its current window's figures, summed over threat
 * types unless the query named one.
 *
 * @param threatType the threat type queried, or null for all types together
 * @param value      the ranked metric
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TopEntry(String region, @Nullable String threatType, double value, String windowStart,
                       String windowEnd, long eventCount, double seizureKg, double severityScore,
                       @Nullable String maxSeverity, int distinctAgencies, @Nullable String lastEventAt) {
}
