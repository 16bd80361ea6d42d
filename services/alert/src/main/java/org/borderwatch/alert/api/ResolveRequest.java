package org.borderwatch.alert.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** Body of {@code POST /v1/alerts/{id}/resolve}: why it is resolved by hand (required, at most 1000 characters). */
@Serdeable
public record ResolveRequest(@Nullable String reason) {
}
