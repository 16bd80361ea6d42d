package org.borderwatch.alert.log;

import java.time.Duration;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * What one alert instance keeps of the alert log in memory ({@code borderwatch.alert.memory.*}); the README lists
 * each key with its default and what is answered from Kafka instead.
 *
 * @param maxAlerts      current states kept at most: firing alerts and alerts changed within {@code maxAge};
 *                       resolved ones leave first, oldest update first
 * @param maxAge         how long a resolved alert stays in memory after its last change
 * @param tail           the most recent changes kept (all alerts together), for live SSE, resumes from a recent
 *                       position and short histories; older positions are read from the topic
 * @param resumeReaders  SSE resumes from before the tail read from Kafka at once; more wait their turn
 * @param historyReaders reads of an alert's history from Kafka at once (API requests about alerts no longer in
 *                       memory); more wait up to {@code borderwatch.alert.write-timeout}, then get 429
 */
@ConfigurationProperties("borderwatch.alert.memory")
public record MemoryConfig(
        @Bindable(defaultValue = "10000") int maxAlerts,
        @Bindable(defaultValue = "7d") Duration maxAge,
        @Bindable(defaultValue = "5000") int tail,
        @Bindable(defaultValue = "4") int resumeReaders,
        @Bindable(defaultValue = "2") int historyReaders) {
}
