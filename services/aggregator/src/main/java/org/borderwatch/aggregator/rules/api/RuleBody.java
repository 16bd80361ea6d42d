package org.borderwatch.aggregator.rules.api;

import java.util.List;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A rule as the API accepts it. Everything is optional here so that {@link RuleValidator} can name every missing or
 * wrong field at once, instead of the JSON binding stopping at the first.
 */
@Serdeable
@Schema(description = "An alert rule")
public record RuleBody(
        @Schema(description = "Lower case letters, digits, '.', '_' or '-'; generated on create when absent",
                example = "tj-armed-incursion") @Nullable String ruleId,
        @Schema(example = "Armed incursions in Tajikistan") @Nullable String name,
        @Schema(description = "Region code (TJ-KT), country prefix (TJ-*), * for every region, or a country code"
                + " (TJ) for the country roll-up", example = "TJ-*") @Nullable String region,
        @Schema(description = "A threat type; absent for every type", example = "ARMED_INCURSION") @Nullable
        String threatType,
        @Schema(description = "A configured window, ISO-8601", example = "PT1H") @Nullable String window,
        @Schema(description = "EVENT_COUNT, SEIZURE_KG or SEVERITY_SCORE", example = "EVENT_COUNT") @Nullable
        String metric,
        @Schema(description = "Fires when the current window reaches it", example = "3") @Nullable Double threshold,
        @Schema(description = "Resolves when the value falls below it; default the threshold", example = "1")
        @Nullable Double resolveThreshold,
        @Schema(description = "LOW, MEDIUM, HIGH or CRITICAL", example = "HIGH") @Nullable String severity,
        @Nullable List<Tier> escalations,
        @Schema(description = "Default true") @Nullable Boolean enabled) {

    /** A higher tier: crossing its threshold escalates the breach to its severity. */
    @Serdeable
    public record Tier(@Nullable Double threshold, @Nullable String severity) {
    }
}
