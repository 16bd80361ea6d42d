package org.borderwatch.aggregator.host;

import java.time.Duration;
import java.util.List;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import org.borderwatch.aggregator.config.AggregatorConfig;
import org.borderwatch.aggregator.window.WindowSpec;

/**
 * The aggregator's own settings ({@code borderwatch.aggregator.*}); the README lists each key with its default.
 *
 * @param applicationId       Kafka Streams {@code application.id}: every instance of one aggregator shares it
 * @param applicationServer   {@code host:port} other instances use to reach this one for interactive queries;
 *                            default: the HTTP server's own host and port
 * @param stateDir            where this instance keeps its state stores; two instances on one machine need two
 *                            directories; default {@code <java.io.tmpdir>/borderwatch-aggregator-<port>}
 * @param streamThreads       Kafka Streams threads of this instance
 * @param windows             windows as {@code SIZE} (tumbling) or {@code SIZE/ADVANCE} (hopping), ISO-8601
 * @param grace               how far behind stream time a report still counts
 * @param clockSkew           how far occurredAt may lie after Kafka's timestamp of the record
 * @param punctuationInterval emit and rule evaluation cadence (wall clock)
 * @param emitTimeShare       the largest share of a stream thread's time emitting changed windows may take; when an
 *                            emit takes longer, the next one waits (1: emit at every punctuation)
 * @param retryAfter          {@code Retry-After} of a 503 (rebalancing, Kafka unavailable)
 * @param forwardTimeout      how long a request forwarded to another instance may take
 * @param healthTimeout       how long the Kafka health check waits for the cluster to answer
 * @param closeTimeout        how long a shutdown waits for Kafka Streams to commit and close
 * @param leaveGroupOnClose   whether a shutdown leaves the consumer group at once (its tasks move to the other
 *                            instances now) or stays in it until the session times out (a restart within the
 *                            session timeout keeps its tasks: no restore elsewhere)
 */
@ConfigurationProperties("borderwatch.aggregator")
public record AggregatorSettings(
        @Bindable(defaultValue = AggregatorConfig.DEFAULT_APPLICATION_ID) String applicationId,
        @Nullable String applicationServer,
        @Nullable String stateDir,
        @Bindable(defaultValue = "2") int streamThreads,
        @Bindable(defaultValue = "PT1H,PT24H/PT1H,P7D/P1D") List<String> windows,
        @Bindable(defaultValue = "6h") Duration grace,
        @Bindable(defaultValue = "5m") Duration clockSkew,
        @Bindable(defaultValue = "200ms") Duration punctuationInterval,
        @Bindable(defaultValue = "0.1") double emitTimeShare,
        @Bindable(defaultValue = "5s") Duration retryAfter,
        @Bindable(defaultValue = "10s") Duration forwardTimeout,
        @Bindable(defaultValue = "2s") Duration healthTimeout,
        @Bindable(defaultValue = "30s") Duration closeTimeout,
        @Bindable(defaultValue = "true") boolean leaveGroupOnClose) {

    /** The topology's configuration. */
    public AggregatorConfig toConfig(final String bootstrapServers) {
        return new AggregatorConfig(applicationId, bootstrapServers, windowSpecs(windows), grace, clockSkew,
                punctuationInterval, emitTimeShare);
    }

    /** Parses {@code PT1H} (tumbling) and {@code PT24H/PT1H} (size/advance). */
    static List<WindowSpec> windowSpecs(final List<String> windows) {
        return windows.stream().map(String::strip).filter(window -> !window.isEmpty()).map(window -> {
            final int slash = window.indexOf('/');
            return slash < 0 ? WindowSpec.tumbling(window)
                    : WindowSpec.hopping(window.substring(0, slash).strip(), window.substring(slash + 1).strip());
        }).toList();
    }
}
