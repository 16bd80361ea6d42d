package org.borderwatch.alert.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** Body of {@code POST /v1/alerts/{id}/notes}: the note (required, at most 2000 characters). */
@Serdeable
public record NoteRequest(@Nullable String text) {
}
