package org.borderwatch.service.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

/**
 * One broken rule: which field ({@code location.latitude} for a nested one, empty when the rule concerns the whole
 * document), which rule (a stable, documented name a client can switch on), and a sentence for the person who sent
 * it.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Violation(String field, String rule, String message) {
}
