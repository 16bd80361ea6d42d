package org.borderwatch.alert.lifecycle;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.borderwatch.alert.AlertConfig;
import org.borderwatch.service.kafka.KafkaSettings;
import org.borderwatch.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link LifecycleTopology} with {@code exactly_once_v2}: every instance joins the same application id, so each
 * alert is owned by exactly one instance at a time. Undecodable input goes to {@code border.deadletter.v1}.
 */
@Context
public final class LifecycleStreams implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LifecycleStreams.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaStreams streams;

    public LifecycleStreams(final KafkaSettings settings, final AlertConfig config) {
        final Map<String, Object> properties = settings.streams();
        properties.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, config.lifecycleApplicationId());
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        properties.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueExceptionHandler.class);
        properties.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.DEADLETTER.name());
        final Properties props = new Properties();
        props.putAll(properties);
        this.streams = new KafkaStreams(LifecycleTopology.build(config.renotifyCheck()), props);
        streams.setStateListener((next, previous) -> LOG.info("Alert lifecycle {} -> {}", previous, next));
        streams.setUncaughtExceptionHandler(error -> {
            LOG.error("Alert lifecycle thread failed; replacing it (the failed task restarts from its last commit)",
                    error);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                    .REPLACE_THREAD;
        });
        streams.start();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    @PreDestroy
    @Override
    public void close() {
        // Leave the group: the partitions move to the other instances (or to this one's successor) at once instead
        // of after the session timeout.
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(CLOSE_TIMEOUT));
    }
}
