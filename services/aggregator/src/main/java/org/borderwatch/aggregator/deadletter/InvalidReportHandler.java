package org.borderwatch.aggregator.deadletter;

import java.util.Map;

import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.errors.LogAndFailProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Processing errors: an {@link InvalidReportException} sends the source record (original key and value bytes,
 * headers naming topic, partition, offset and error) to the dead-letter topic through Kafka Streams' own DLQ
 * (KIP-1034) and processing continues; any other exception is a bug or an infrastructure failure and stops the
 * thread, because under exactly-once a half-applied record must not be committed.
 */
public final class InvalidReportHandler implements ProcessingExceptionHandler {

    private final LogAndContinueProcessingExceptionHandler deadLetter = new LogAndContinueProcessingExceptionHandler();
    private final LogAndFailProcessingExceptionHandler fail = new LogAndFailProcessingExceptionHandler();

    @Override
    public Response handleError(final ErrorHandlerContext context, final Record<?, ?> record,
                                final Exception exception) {
        return exception instanceof InvalidReportException
                ? deadLetter.handleError(context, record, exception)
                : fail.handleError(context, record, exception);
    }

    @Override
    public void configure(final Map<String, ?> configs) {
        deadLetter.configure(configs);
        fail.configure(configs);
    }
}
