package org.borderwatch.aggregator.deadletter;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.borderwatch.aggregator.config.AggregatorConfig;
import org.borderwatch.schemas.Topics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The handler on its own: TopologyTestDriver gives global stores its own unconfigured handler, so only a direct
 * call shows what the rules topic gets in a real application.
 */
class DeadLetterDeserializationHandlerTest {

    private static final byte[] KEY = "TJ-KT".getBytes(UTF_8);
    private static final byte[] POISON = "not avro".getBytes(UTF_8);

    private final DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler();

    @BeforeEach
    void configure() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        final Map<String, ?> configs = (Map) AggregatorConfig.defaults().streamsProperties();
        handler.configure(configs);
    }

    @Test
    void shouldBuildDeadLetterWithSourceCoordinatesWhenEventBytesDoNotDecode() {
        final DeserializationExceptionHandler.Response response = handler.handleError(
                context(Topics.INCIDENTS.name()), record(Topics.INCIDENTS.name()),
                new SerializationException("cannot decode BorderIncident"));

        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).hasSize(1);
        final ProducerRecord<byte[], byte[]> deadLetter = response.deadLetterQueueRecords().get(0);
        assertThat(deadLetter.topic()).isEqualTo(Topics.DEADLETTER.name());
        assertThat(deadLetter.key()).isEqualTo(KEY);
        assertThat(deadLetter.value()).isEqualTo(POISON);
        assertThat(header(deadLetter, "__streams.errors.topic")).isEqualTo(Topics.INCIDENTS.name());
        assertThat(header(deadLetter, "__streams.errors.partition")).isEqualTo("3");
        assertThat(header(deadLetter, "__streams.errors.offset")).isEqualTo("42");
        assertThat(header(deadLetter, "__streams.errors.message")).isEqualTo("cannot decode BorderIncident");
    }

    @Test
    void shouldResumeWithoutDeadLetterWhenRuleBytesDoNotDecode() {
        // A dead letter built for the global rules store would kill the global thread (ClassCastException, 4.3).
        final DeserializationExceptionHandler.Response response = handler.handleError(
                context(Topics.ALERT_RULES.name()), record(Topics.ALERT_RULES.name()),
                new SerializationException("cannot decode AlertRule"));

        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
    }

    private static ConsumerRecord<byte[], byte[]> record(final String topic) {
        return new ConsumerRecord<>(topic, 3, 42, KEY, POISON);
    }

    private static String header(final ProducerRecord<byte[], byte[]> record, final String key) {
        return new String(record.headers().lastHeader(key).value(), UTF_8);
    }

    private static ErrorHandlerContext context(final String topic) {
        return new ErrorHandlerContext() {
            @Override
            public String topic() {
                return topic;
            }

            @Override
            public int partition() {
                return 3;
            }

            @Override
            public long offset() {
                return 42;
            }

            @Override
            public Headers headers() {
                return new RecordHeaders();
            }

            @Override
            public String processorNodeId() {
                return "source";
            }

            @Override
            public TaskId taskId() {
                return new TaskId(0, 3);
            }

            @Override
            public long timestamp() {
                return 0;
            }

            @Override
            public byte[] sourceRawKey() {
                return KEY;
            }

            @Override
            public byte[] sourceRawValue() {
                return POISON;
            }
        };
    }
}
