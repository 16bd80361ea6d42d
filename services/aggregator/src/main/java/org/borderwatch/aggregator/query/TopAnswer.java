package org.borderwatch.aggregator.query;

import java.util.List;

import io.micronaut.core.annotation.Nullable;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The answer of {@code GET /v1/aggregates/top}: the regions (or countries) with the highest value of a metric in
 * the current window at {@code at}, highest first, ties by code.
 *
 * @param partitions the partitions whose state contributed: all of them in an answer to a client; one instance's
 *                   own in an instance-scoped answer to another instance
 * @param servedBy   the instances that contributed
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TopAnswer(String level, String metric, String window, @Nullable String threatType, String at,
                        int limit, List<TopEntry> entries, List<Integer> partitions, List<String> servedBy) {
}
