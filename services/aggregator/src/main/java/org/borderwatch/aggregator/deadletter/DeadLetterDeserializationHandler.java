package org.borderwatch.aggregator.deadletter;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.borderwatch.schemas.Topics;

/**
 * Bytes that do not decode: Kafka Streams' {@link LogAndContinueExceptionHandler} with its built-in dead-letter queue
 * (KIP-1034) writes the original key and value to {@code border.deadletter.v1} with the headers
 * {@code __streams.errors.topic}, {@code .partition}, {@code .offset}, {@code .exception}, {@code .message} and
 * {@code .stacktrace}, and processing continues.
 *
 * <p>Except for the rules topic: it feeds a global store, and in Kafka 4.3 a dead-letter record built for a global
 * store's deserialization failure kills the global thread with a {@code ClassCastException} (the global processor
 * context has no record collector; see the KAFKA-19939 discussion). A poison rule is therefore logged and skipped
 * without a dead-letter record; rules are written only through the aggregator's validated API.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

    private final LogAndContinueExceptionHandler deadLetter = new LogAndContinueExceptionHandler();
    private final LogAndContinueExceptionHandler logOnly = new LogAndContinueExceptionHandler();

    @Override
    public Response handleError(final ErrorHandlerContext context, final ConsumerRecord<byte[], byte[]> record,
                                final Exception exception) {
        return Topics.ALERT_RULES.name().equals(record.topic())
                ? logOnly.handleError(context, record, exception)
                : deadLetter.handleError(context, record, exception);
    }

    @Override
    public void configure(final Map<String, ?> configs) {
        deadLetter.configure(configs);
        final Map<String, Object> withoutDeadLetter = new HashMap<>(configs);
        withoutDeadLetter.remove(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        logOnly.configure(withoutDeadLetter);
    }
}
