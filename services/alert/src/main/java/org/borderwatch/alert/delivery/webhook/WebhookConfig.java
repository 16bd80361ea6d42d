package org.borderwatch.alert.delivery.webhook;

import java.time.Duration;
import java.util.List;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Webhook delivery ({@code borderwatch.alert.webhooks.*}).
 *
 * @param groupId             consumer group that delivers: each alert change is delivered by exactly one instance;
 *                            retries use the group {@code <groupId>-retries}
 * @param allowLoopback       webhooks may target loopback addresses (tests, the dev stack)
 * @param allowPrivate        webhooks may target private, shared (100.64/10), link-local and unique-local addresses
 *                            (cloud metadata addresses stay refused)
 * @param connectTimeout      TCP connect timeout
 * @param requestTimeout      per-request timeout, from sending to the complete response
 * @param retryDelays         delay before attempt 2, 3, ...; after the last one a notification fails for good
 * @param retryJitter         each delay is multiplied by a random factor in [1 - jitter, 1 + jitter]
 * @param threads             concurrent webhook requests per instance
 * @param secretRotationGrace how long a replaced secret still signs next to the new one
 */
@ConfigurationProperties("borderwatch.alert.webhooks")
public record WebhookConfig(
        @Bindable(defaultValue = "borderwatch-alert-webhooks") String groupId,
        @Bindable(defaultValue = "false") boolean allowLoopback,
        @Bindable(defaultValue = "false") boolean allowPrivate,
        @Bindable(defaultValue = "2s") Duration connectTimeout,
        @Bindable(defaultValue = "5s") Duration requestTimeout,
        @Bindable(defaultValue = "5s,5m,30m,2h,5h,10h,10h") List<Duration> retryDelays,
        @Bindable(defaultValue = "0.2") double retryJitter,
        @Bindable(defaultValue = "16") int threads,
        @Bindable(defaultValue = "24h") Duration secretRotationGrace) {

    public String retryGroupId() {
        return groupId + "-retries";
    }
}
