package org.borderwatch.service.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The one place a service makes its Kafka clients (the kit's writer, mirrors and consumer loops, the readiness
 * check): each starts from {@link KafkaSettings}, so every client gets the same {@code kafka.*} security settings,
 * and each is bound to the service's meter registry ({@code kafka.consumer.*}, {@code kafka.producer.*} meters on
 * {@code /prometheus}). Clients carry bytes; the topic's own serdes (de)serialize at the edges, so a record that does
 * not decode is the caller's to skip, never an exception inside {@code poll}.
 */
@Singleton
public final class KafkaClients {

    private final KafkaSettings settings;
    private final MeterRegistry registry;
    private final Map<AutoCloseable, KafkaClientMetrics> meters = new ConcurrentHashMap<>();

    public KafkaClients(final KafkaSettings settings, @Nullable final MeterRegistry registry) {
        this.settings = settings;
        this.registry = registry;
    }

    public KafkaSettings settings() {
        return settings;
    }

    /**
     * A consumer of the service's settings plus {@code overrides}, which win; a null override removes the setting
     * (a mirror has no {@code group.id}). Close it with {@link #close}.
     */
    public Consumer<byte[], byte[]> consumer(final Map<String, Object> overrides) {
        final Map<String, Object> config = withBootstrap(settings.consumer());
        overrides.forEach((key, value) -> {
            if (value == null) {
                config.remove(key);
            } else {
                config.put(key, value);
            }
        });
        final KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        bind(consumer, () -> new KafkaClientMetrics(consumer));
        return consumer;
    }

    /** A producer of the service's settings plus {@code overrides} (which win). Close it with {@link #close}. */
    public Producer<byte[], byte[]> producer(final Map<String, Object> overrides) {
        final Map<String, Object> config = withBootstrap(settings.producer());
        config.putAll(overrides);
        final KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer());
        bind(producer, () -> new KafkaClientMetrics(producer));
        return producer;
    }

    /** An admin client of the service's settings. Close it with {@link #close}. */
    public Admin admin() {
        final AdminClient admin = AdminClient.create(withBootstrap(settings.admin()));
        bind(admin, () -> new KafkaClientMetrics(admin));
        return admin;
    }

    /** Unbinds the client's meters and closes it, waiting at most {@code timeout}. */
    public void close(final AutoCloseable client, final Duration timeout) {
        final KafkaClientMetrics bound = meters.remove(client);
        if (bound != null) {
            bound.close();
        }
        if (client instanceof Consumer<?, ?> consumer) {
            consumer.close(timeout);
        } else if (client instanceof Producer<?, ?> producer) {
            producer.close(timeout);
        } else if (client instanceof Admin admin) {
            admin.close(timeout);
        }
    }

    /** The documented default, {@code 127.0.0.1:9092} (the dev broker), when {@code kafka.bootstrap.servers} is unset. */
    private Map<String, Object> withBootstrap(final Map<String, Object> config) {
        config.putIfAbsent(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        return config;
    }

    private void bind(final AutoCloseable client, final java.util.function.Supplier<KafkaClientMetrics> binder) {
        if (registry != null) {
            final KafkaClientMetrics metrics = binder.get();
            metrics.bindTo(registry);
            meters.put(client, metrics);
        }
    }

    /**
     * What went wrong, for a log line or a health detail: Kafka's own message, and for a refused login or a missing
     * ACL what to check. Never a configuration value: the JAAS line holds the password.
     */
    public static String describe(final Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause
                && !(cause instanceof AuthenticationException) && !(cause instanceof AuthorizationException)) {
            cause = cause.getCause();
        }
        if (cause instanceof AuthenticationException) {
            return "Kafka authentication failed (" + cause.getMessage() + "): check this service's credentials"
                    + " (KAFKA_SASL_JAAS_CONFIG, the trust store) and its SCRAM user on the brokers";
        }
        if (cause instanceof AuthorizationException) {
            return "Kafka refused the request (" + cause.getMessage() + "): the service's principal lacks an ACL";
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
