package org.borderwatch.ingest.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.borderwatch.ingest.event.Event;
import org.borderwatch.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.borderwatch.service.kafka.KafkaSettings;

/**
 * Writes validated events to their topic, keyed by region, through one idempotent producer with {@code acks=all}.
 * The returned future completes when Kafka has acknowledged the record, or fails when it has not within
 * {@code max.block.ms} + {@code delivery.timeout.ms}. A failure does not mean "not stored": a record already sent may
 * have been written by a broker that answered too late, so its outcome is unknown and the client retries with the
 * same eventId, which the aggregator counts once.
 *
 * <p>Created at startup ({@link Context}), so a broken Kafka configuration stops the start rather than the first
 * report. {@link #publish} may block for up to {@code max.block.ms} while Kafka's metadata is unknown: call it from a
 * blocking thread, never from the event loop.
 */
@Context
public final class EventPublisher implements AutoCloseable {

    /**
     * What a client is told when Kafka did not acknowledge in time. A timeout is not a refusal: the record may
     * already be on the broker (a broker that stalls writes it and answers late), so only a retry settles it.
     */
    public static final String OUTCOME_UNKNOWN = "Kafka did not acknowledge the event in time: the outcome is"
            + " unknown, it may or may not be stored. Retry with the same eventId; it is counted once.";

    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final Producer<String, byte[]> producer;

    public EventPublisher(final KafkaSettings settings) {
        final Map<String, Object> config = settings.producer();
        // The acknowledgement contract of the API rests on these; no configuration may weaken them.
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        LOG.info("Kafka producer for {} (acks=all, idempotent; max.block.ms={}, delivery.timeout.ms={})",
                config.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG), config.get(ProducerConfig.MAX_BLOCK_MS_CONFIG),
                config.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG));
        this.producer = new KafkaProducer<>(config, Topics.KEY.serializer(), new ByteArraySerializer());
    }

    /** Sends the event; the future completes with the record's position once Kafka acknowledged it. */
    public <V> CompletableFuture<RecordMetadata> publish(final Event<V> event) {
        final CompletableFuture<RecordMetadata> acknowledged = new CompletableFuture<>();
        // The topic's own serde, as for every reader of the topic.
        final byte[] value = event.topic().valueSerde().serializer().serialize(event.topic().name(), event.value());
        try {
            producer.send(new ProducerRecord<>(event.topic().name(), event.region(), value), (metadata, error) -> {
                if (error != null) {
                    acknowledged.completeExceptionally(error);
                } else {
                    acknowledged.complete(metadata);
                }
            });
        } catch (final RuntimeException e) {
            // send() throws rather than calling back for some failures (closed producer, interrupted, fatal).
            acknowledged.completeExceptionally(e);
        }
        return acknowledged;
    }

    @PreDestroy
    @Override
    public void close() {
        producer.close(CLOSE_TIMEOUT);
    }
}
