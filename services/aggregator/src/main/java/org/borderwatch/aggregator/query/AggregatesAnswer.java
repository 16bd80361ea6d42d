package org.borderwatch.aggregator.query;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The answer of {@code GET /v1/aggregates}: every non-empty window of one region (or country) whose start lies in
 * [from, to), per threat type and window, in the same form as the records of {@code border.threat-aggregates.v1}.
 *
 * @param servedBy the instance ({@code application.server}) whose state store answered
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AggregatesAnswer(String region, String level, String from, String to, String servedBy,
                               List<Map<String, Object>> aggregates) {
}
