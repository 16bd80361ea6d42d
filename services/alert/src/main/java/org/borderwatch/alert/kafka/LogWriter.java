package org.borderwatch.alert.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.borderwatch.schemas.Topic;
import org.borderwatch.service.problem.ProblemException;
import org.borderwatch.service.kafka.KafkaSettings;

/**
 * Writes the service's own records (commands, subscriptions, silences, webhook retries) through one idempotent
 * producer with {@code acks=all}; {@link #write} returns only once Kafka has the record.
 */
@Context
public final class LogWriter implements AutoCloseable {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final Producer<byte[], byte[]> producer;

    public LogWriter(final KafkaSettings settings) {
        final Map<String, Object> config = settings.producer();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        config.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
        config.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Writes and waits for the acknowledgement.
     *
     * @throws ProblemException 503 when Kafka did not acknowledge in time
     */
    public <V> RecordMetadata write(final Topic<String, V> topic, final String key, final V value) {
        return write(topic, key, value, null);
    }

    /** As {@link #write(Topic, String, Object)}, with record headers (null: none). */
    public <V> RecordMetadata write(final Topic<String, V> topic, final String key, final V value,
                                    final Headers headers) {
        final byte[] keyBytes = topic.keySerde().serializer().serialize(topic.name(), key);
        final byte[] valueBytes = value == null ? null : topic.valueSerde().serializer().serialize(topic.name(), value);
        try {
            return producer.send(new ProducerRecord<>(topic.name(), null, keyBytes, valueBytes, headers))
                    .get(15, TimeUnit.SECONDS);
        } catch (final ExecutionException | TimeoutException e) {
            // A timeout is not a refusal: a stalled broker may still write the record.
            throw ProblemException.unavailable("Kafka did not acknowledge the change in time: the outcome is"
                    + " unknown, it may or may not be stored. Read it back, or retry later.", RETRY_AFTER);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProblemException.unavailable("Interrupted while writing to Kafka.", RETRY_AFTER);
        } catch (final RuntimeException e) {
            throw ProblemException.unavailable("Kafka did not store the change: " + e.getClass().getSimpleName()
                    + ". Retry later.", RETRY_AFTER);
        }
    }

    @PreDestroy
    @Override
    public void close() {
        producer.close(CLOSE_TIMEOUT);
    }
}
