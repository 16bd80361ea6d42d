package org.borderwatch.alert;

import java.time.Duration;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * General settings of the alert service ({@code borderwatch.alert.*}); the README lists each key with its default.
 *
 * @param lifecycleApplicationId Kafka Streams {@code application.id} of the lifecycle (its consumer group and the
 *                               prefix of its internal topics); every instance uses the same
 * @param writeTimeout           how long an API write waits to see its own record in the log before answering 202
 *                               instead of 200/201
 * @param capSender              the CAP {@code sender} of every CAP message
 * @param renotifyCheck          how often the lifecycle looks for firing, unacknowledged alerts whose subscriptions'
 *                               repeat interval elapsed (a re-notification is at most this late)
 * @param minRepeatInterval      the shortest repeat interval a subscription may ask for
 */
@ConfigurationProperties("borderwatch.alert")
public record AlertConfig(
        @Bindable(defaultValue = "borderwatch-alert-lifecycle") String lifecycleApplicationId,
        @Bindable(defaultValue = "10s") Duration writeTimeout,
        @Bindable(defaultValue = "borderwatch-alert") String capSender,
        @Bindable(defaultValue = "5s") Duration renotifyCheck,
        @Bindable(defaultValue = "1m") Duration minRepeatInterval) {
}
