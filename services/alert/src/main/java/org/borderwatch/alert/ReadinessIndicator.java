package org.borderwatch.alert;

import java.util.LinkedHashMap;
import java.util.Map;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;
import org.borderwatch.alert.console.SessionStore;
import org.borderwatch.alert.lifecycle.LifecycleStreams;
import org.borderwatch.alert.log.AlertLog;
import org.borderwatch.alert.silence.SilenceStore;
import org.borderwatch.alert.subscription.SubscriptionStore;
import org.reactivestreams.Publisher;

/**
 * UP once this instance has read the alert log, the subscriptions, the silences and the console sessions up to
 * where they stood at start-up, and the lifecycle runs; before that its answers and streams would be incomplete.
 */
@Singleton
@Readiness
public final class ReadinessIndicator implements HealthIndicator {

    private final AlertLog log;
    private final SubscriptionStore subscriptions;
    private final SilenceStore silences;
    private final SessionStore sessions;
    private final LifecycleStreams lifecycle;

    public ReadinessIndicator(final AlertLog log, final SubscriptionStore subscriptions, final SilenceStore silences,
                              final SessionStore sessions, final LifecycleStreams lifecycle) {
        this.log = log;
        this.subscriptions = subscriptions;
        this.silences = silences;
        this.sessions = sessions;
        this.lifecycle = lifecycle;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        final Map<String, Object> details = new LinkedHashMap<>();
        details.put("alertLog", log.isCaughtUp() ? "caught up" : "reading");
        details.put("subscriptions", subscriptions.isCaughtUp() ? "caught up" : "reading");
        details.put("silences", silences.isCaughtUp() ? "caught up" : "reading");
        details.put("consoleSessions", sessions.isCaughtUp() ? "caught up" : "reading");
        final KafkaStreams.State state = lifecycle.state();
        details.put("lifecycle", state.name());
        final boolean up = log.isCaughtUp() && subscriptions.isCaughtUp() && silences.isCaughtUp()
                && sessions.isCaughtUp()
                && (state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING);
        return Publishers.just(HealthResult.builder("alert", up ? HealthStatus.UP : HealthStatus.DOWN)
                .details(details).build());
    }
}
