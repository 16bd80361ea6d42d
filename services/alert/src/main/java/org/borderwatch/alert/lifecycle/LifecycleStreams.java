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
import org.borderwatch.service.kafka.KafkaClients;
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

    private static final Duration RETRY = Duration.ofSeconds(5);

    private final Properties properties;
    private final Duration renotifyCheck;
    private final Thread starter;
    private volatile KafkaStreams streams;
    private volatile boolean closing;

    public LifecycleStreams(final KafkaSettings settings, final AlertConfig config) {
        final Map<String, Object> configured = settings.streams();
        configured.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, config.lifecycleApplicationId());
        configured.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        configured.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        configured.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueExceptionHandler.class);
        configured.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.DEADLETTER.name());
        this.properties = new Properties();
        properties.putAll(configured);
        this.renotifyCheck = config.renotifyCheck();
        // KafkaStreams#start() blocks until the global stores are loaded and throws when Kafka refuses the login: on
        // the HTTP server's thread that would stop the service from starting at all. Started here instead, retried
        // with a fresh instance until it runs, the service stays up and says DOWN (readiness) meanwhile.
        this.starter = new Thread(this::startUntilRunning, "alert-lifecycle-starter");
        starter.setDaemon(true);
        starter.start();
    }

    private void startUntilRunning() {
        while (!closing) {
            final KafkaStreams created = new KafkaStreams(LifecycleTopology.build(renotifyCheck), properties);
            created.setStateListener((next, previous) -> LOG.info("Alert lifecycle {} -> {}", previous, next));
            created.setUncaughtExceptionHandler(error -> {
                LOG.error("Alert lifecycle thread failed; replacing it (the failed task restarts from its last"
                        + " commit)", error);
                return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                        .REPLACE_THREAD;
            });
            synchronized (this) {
                if (closing) {
                    created.close(Duration.ZERO);
                    return;
                }
                streams = created;
            }
            try {
                created.start();
                return;
            } catch (final RuntimeException e) {
                LOG.error("Alert lifecycle did not start: {}; retrying in {} s", KafkaClients.describe(e),
                        RETRY.toSeconds());
                created.close(CLOSE_TIMEOUT);
            }
            try {
                Thread.sleep(RETRY.toMillis());
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Kafka Streams' state; {@code CREATED} until the first start attempt. */
    public KafkaStreams.State state() {
        final KafkaStreams current = streams;
        return current == null ? KafkaStreams.State.CREATED : current.state();
    }

    @PreDestroy
    @Override
    public void close() {
        final KafkaStreams current;
        synchronized (this) {
            closing = true;
            current = streams;
        }
        starter.interrupt();
        if (current == null) {
            return;
        }
        // Leave the group: the partitions move to the other instances (or to this one's successor) at once instead
        // of after the session timeout.
        current.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(CLOSE_TIMEOUT));
    }
}
