package org.borderwatch.aggregator.rules.api;

import java.util.List;
import java.util.Map;

import io.micronaut.core.annotation.Nullable;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The answer of {@code POST /v1/rules/backtest}: what the rule would have done over the retained history.
 *
 * @param recordsRead    records read from the incident and seizure topics (up to their end at request time)
 * @param reportsMatched reports the rule watches (after the time range and the caller's regions)
 * @param undecodable    records that are not reports (they would have gone to the dead-letter topic)
 * @param changes        the breach changes, FIRING / ESCALATED / RESOLVED, in time order, as on
 *                       {@code border.breaches.v1}
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record BacktestAnswer(Map<String, Object> rule, @Nullable String from, @Nullable String to,
                             long recordsRead, long reportsMatched, long undecodable, int fired, int escalated,
                             int resolved, List<Map<String, Object>> changes) {
}
