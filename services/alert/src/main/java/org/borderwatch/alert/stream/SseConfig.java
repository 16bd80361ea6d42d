package org.borderwatch.alert.stream;

import java.time.Duration;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Server-Sent Events ({@code borderwatch.alert.sse.*}).
 *
 * @param heartbeat  interval of the comment lines that keep idle connections open through proxies
 * @param maxBacklog events queued for one slow client before its connection is closed; the client reconnects with
 *                   Last-Event-ID and loses nothing
 */
@ConfigurationProperties("borderwatch.alert.sse")
public record SseConfig(
        @Bindable(defaultValue = "15s") Duration heartbeat,
        @Bindable(defaultValue = "10000") int maxBacklog) {
}
