package org.borderwatch.alert.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** Body of {@code POST /v1/alerts/{id}/ack}: an optional comment (at most 1000 characters). */
@Serdeable
public record AckRequest(@Nullable String comment) {
}
