package org.borderwatch.alert.subscription;

import java.util.List;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Body of {@code POST /v1/subscriptions}.
 *
 * @param regions     region codes or prefixes within the caller's regions; empty or absent = all of them
 * @param threatTypes empty or absent = every threat type
 * @param minSeverity LOW (default), MEDIUM, HIGH or CRITICAL
 * @param channel     {@code webhook} or {@code sse}
 * @param format      {@code json} (default), {@code cloudevents} or {@code cap}
 * @param url         the webhook endpoint (channel webhook only)
 */
@Serdeable
public record SubscriptionRequest(@Nullable List<String> regions, @Nullable List<String> threatTypes,
                                  @Nullable String minSeverity, @Nullable String channel, @Nullable String format,
                                  @Nullable String url) {
}
