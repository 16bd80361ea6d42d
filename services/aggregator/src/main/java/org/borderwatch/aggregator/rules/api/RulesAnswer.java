package org.borderwatch.aggregator.rules.api;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

/** {@code GET /v1/rules}: every rule, by id, in the fields of the AlertRule schema. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RulesAnswer(List<Map<String, Object>> rules) {
}
