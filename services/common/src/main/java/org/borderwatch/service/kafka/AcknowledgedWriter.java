package org.borderwatch.service.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.borderwatch.schemas.Topic;
import org.borderwatch.service.problem.ProblemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's one producer: idempotent, {@code acks=all} (no configuration may weaken them: the API's "accepted"
 * rests on them), serializing with the topic's own serdes. {@link #write} returns once Kafka acknowledged the record,
 * and otherwise throws the caller's 503 within a bound: {@code max.block.ms} (metadata) + {@code delivery.timeout.ms}
 * (after which an unsent record expires) + 1 s. A timeout is not a refusal: a stalled broker may still write the
 * record, so the 503 says the outcome is unknown and how to retry safely.
 *
 * <p>Created at startup ({@link Context}), so a broken Kafka configuration stops the start rather than the first
 * request. {@link #send} may block for up to {@code max.block.ms} while Kafka's metadata is unknown: call it from a
 * blocking thread, never from the event loop.
 */
@Context
public final class AcknowledgedWriter implements AutoCloseable {

    /**
     * What a caller answers when Kafka did not acknowledge in time.
     *
     * @param subject    what was written, as the client knows it ("event", "rule", "change")
     * @param advice     how to retry without harm
     * @param retryAfter the {@code Retry-After} of the 503
     */
    public record OutcomeUnknown(String subject, String advice, Duration retryAfter) {

        public String detail() {
            return "Kafka did not acknowledge the " + subject + " in time: the outcome is unknown, it may or may not be"
                    + " stored. " + advice;
        }

        public ProblemException problem() {
            return ProblemException.unavailable(detail(), retryAfter);
        }
    }

    /** The alert service's own records (commands, subscriptions, silences, retries, sessions). */
    public static final OutcomeUnknown CHANGE = new OutcomeUnknown("change", "Read it back, or retry later.",
            Duration.ofSeconds(5));

    private static final Logger LOG = LoggerFactory.getLogger(AcknowledgedWriter.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration MARGIN = Duration.ofSeconds(1);

    private final KafkaClients clients;
    private final Producer<byte[], byte[]> producer;
    private final Duration bound;

    public AcknowledgedWriter(final KafkaClients clients) {
        final Map<String, Object> config = clients.settings().producer();
        config.putIfAbsent(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, clients.settings().bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // Kafka's defaults (60 s + 120 s) would keep a client waiting minutes for its 503.
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        config.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        config.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
        this.bound = Duration.ofMillis(Long.parseLong(String.valueOf(config.get(ProducerConfig.MAX_BLOCK_MS_CONFIG)))
                + Long.parseLong(String.valueOf(config.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG))))
                .plus(MARGIN);
        this.clients = clients;
        this.producer = clients.producer(config);
        LOG.info("Kafka writer for {} (acks=all, idempotent; answers within {})",
                config.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG), bound);
    }

    /** The longest {@link #write} and {@link #await} wait for an acknowledgement. */
    public Duration bound() {
        return bound;
    }

    /**
     * Sends without waiting; the future completes with the record's position once Kafka acknowledged it, or fails
     * (within {@code delivery.timeout.ms}) when it did not.
     */
    public <V> CompletableFuture<RecordMetadata> send(final Topic<String, V> topic, final String key, final V value,
                                                      final Headers headers) {
        final CompletableFuture<RecordMetadata> acknowledged = new CompletableFuture<>();
        try {
            final byte[] keyBytes = topic.keySerde().serializer().serialize(topic.name(), key);
            final byte[] valueBytes = value == null ? null
                    : topic.valueSerde().serializer().serialize(topic.name(), value);
            producer.send(new ProducerRecord<>(topic.name(), null, keyBytes, valueBytes, headers),
                    (metadata, error) -> {
                        if (error != null) {
                            acknowledged.completeExceptionally(error);
                        } else {
                            acknowledged.complete(metadata);
                        }
                    });
        } catch (final RuntimeException e) {
            // send() throws rather than calling back for some failures (metadata timeout, closed producer).
            acknowledged.completeExceptionally(e);
        }
        return acknowledged;
    }

    /**
     * Waits at most {@link #bound()} for the acknowledgement.
     *
     * @throws ProblemException {@code ifUnknown}'s 503 when Kafka did not acknowledge in time
     */
    public RecordMetadata await(final CompletableFuture<RecordMetadata> acknowledged, final OutcomeUnknown ifUnknown) {
        try {
            return acknowledged.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final ExecutionException | TimeoutException e) {
            throw unknown(e instanceof ExecutionException ? e.getCause() : e, ifUnknown);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ifUnknown.problem();
        }
    }

    /**
     * {@link #await} without holding a thread while Kafka acknowledges: the returned future completes with the
     * record's position, or fails within {@link #bound()} with {@code ifUnknown}'s 503 {@link ProblemException}.
     */
    public CompletableFuture<RecordMetadata> acknowledged(final CompletableFuture<RecordMetadata> sent,
                                                          final OutcomeUnknown ifUnknown) {
        return sent.orTimeout(bound.toMillis(), TimeUnit.MILLISECONDS).exceptionallyCompose(e ->
                CompletableFuture.failedFuture(unknown(e instanceof CompletionException && e.getCause() != null
                        ? e.getCause() : e, ifUnknown)));
    }

    private ProblemException unknown(final Throwable cause, final OutcomeUnknown ifUnknown) {
        LOG.warn("Kafka did not acknowledge the {} within {}: {}; answered 503 (outcome unknown)",
                ifUnknown.subject(), bound, KafkaClients.describe(cause));
        return ifUnknown.problem();
    }

    /** Writes and waits; see {@link #await}. */
    public <V> RecordMetadata write(final Topic<String, V> topic, final String key, final V value,
                                    final Headers headers, final OutcomeUnknown ifUnknown) {
        return await(send(topic, key, value, headers), ifUnknown);
    }

    /** Writes one of the service's own records ({@link #CHANGE}); null {@code value} is a tombstone. */
    public <V> RecordMetadata write(final Topic<String, V> topic, final String key, final V value) {
        return write(topic, key, value, null, CHANGE);
    }

    /** As {@link #write(Topic, String, Object)}, with record headers (null: none). */
    public <V> RecordMetadata write(final Topic<String, V> topic, final String key, final V value,
                                    final Headers headers) {
        return write(topic, key, value, headers, CHANGE);
    }

    @PreDestroy
    @Override
    public void close() {
        clients.close(producer, CLOSE_TIMEOUT);
    }
}
