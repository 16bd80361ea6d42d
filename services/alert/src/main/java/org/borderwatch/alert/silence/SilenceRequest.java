package org.borderwatch.alert.silence;

import java.util.List;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Body of {@code POST /v1/silences}. Matchers left empty match everything within the creator's regions.
 *
 * @param regions     region codes or prefixes, within the creator's regions
 * @param threatTypes threat types
 * @param ruleIds     rule ids
 * @param startsAt    ISO-8601 instant; absent or in the past = now
 * @param endsAt      ISO-8601 instant, after startsAt (required)
 * @param comment     why (at most 1000 characters)
 */
@Serdeable
public record SilenceRequest(@Nullable List<String> regions, @Nullable List<String> threatTypes,
                             @Nullable List<String> ruleIds, @Nullable String startsAt, @Nullable String endsAt,
                             @Nullable String comment) {
}
