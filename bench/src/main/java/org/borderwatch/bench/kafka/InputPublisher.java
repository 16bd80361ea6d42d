package org.borderwatch.bench.kafka;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.borderwatch.bench.workload.PublishedReport;

/**
 * Publishes the input as an agency-facing ingest would: idempotent, {@code acks=all}, keyed by region (so incidents
 * and seizures of one region land in the same partition number of their co-partitioned topics). Sends are
 * asynchronous; the first failure is rethrown by the next {@link #send} or by {@link #flush()}, never swallowed.
 */
public final class InputPublisher implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    public InputPublisher(final String bootstrapServers) {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "borderwatch-bench-input",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 10,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024),
                new StringSerializer(), new ByteArraySerializer());
    }

    public void send(final PublishedReport report) {
        sendRaw(report.topic(), report.key(), report.value(), report.timestamp());
    }

    /** Bytes as given: poison records are sent through here. */
    public void sendRaw(final String topic, final String key, final byte[] value, final long timestamp) {
        rethrowFailure();
        producer.send(new ProducerRecord<>(topic, null, timestamp, key, value), (metadata, exception) -> {
            if (exception != null) {
                failure.compareAndSet(null, exception);
            }
        });
    }

    /** Sends one record and waits for its acknowledgement: where it landed is needed (a poison record's offset). */
    public RecordMetadata sendAndWait(final String topic, final String key, final byte[] value,
                                      final long timestamp) {
        rethrowFailure();
        try {
            return producer.send(new ProducerRecord<>(topic, null, timestamp, key, value)).get();
        } catch (final ExecutionException e) {
            throw new IllegalStateException("cannot publish to " + topic + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing to " + topic, e);
        }
    }

    /** Waits until everything sent so far is acknowledged. */
    public void flush() {
        producer.flush();
        rethrowFailure();
    }

    @Override
    public void close() {
        producer.close();
    }

    private void rethrowFailure() {
        final Exception exception = failure.get();
        if (exception != null) {
            throw new IllegalStateException("publishing the input failed: " + exception.getMessage(), exception);
        }
    }
}
