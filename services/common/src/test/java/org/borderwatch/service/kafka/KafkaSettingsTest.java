package org.borderwatch.service.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

    @Test
    void shouldGiveEachClientItsOwnAndTheSharedKafkaNamesWhenConfigured() {
        // Environment variables arrive as every dot/dash spelling; the dashed ones must not reach the clients.
        final Environment environment = ApplicationContext.builder().properties(Map.of(
                "kafka.bootstrap.servers", "10.0.0.1:9092",
                "kafka.bootstrap-servers", "10.0.0.1:9092",
                "kafka.request.timeout.ms", 1500,
                "kafka.producer.linger.ms", 7,
                "kafka.producer.request.timeout.ms", 2500,
                "kafka.admin.default.api.timeout.ms", 4000,
                "kafka.lnger.ms", 9)).build().getEnvironment().start();

        final KafkaSettings settings = new KafkaSettings(environment);

        assertThat(settings.producer()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "bootstrap.servers", "10.0.0.1:9092", "request.timeout.ms", "2500", "linger.ms", "7"));
        assertThat(settings.admin()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "bootstrap.servers", "10.0.0.1:9092", "request.timeout.ms", "1500",
                "default.api.timeout.ms", "4000"));
    }

    @Test
    void shouldTakeEnvironmentVariablesAndPassStreamsSettingsThrough() {
        final Environment environment = ApplicationContext.builder()
                .propertySources(PropertySource.of("test-env", Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS", "10.0.0.2:9092",
                        "KAFKA_STREAMS_NUM_STREAM_THREADS", "3",
                        "KAFKA_STREAMS_MAIN_CONSUMER_MAX_POLL_RECORDS", "2000",
                        "KAFKA_CONSUMER_MAX_POLL_RECORDS", "10"),
                        PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE))
                .build().getEnvironment().start();

        final KafkaSettings settings = new KafkaSettings(environment);

        assertThat(settings.bootstrapServers()).isEqualTo("10.0.0.2:9092");
        assertThat(settings.streams()).containsEntry("bootstrap.servers", "10.0.0.2:9092")
                .containsEntry("num.stream.threads", "3")
                .containsEntry("main.consumer.max.poll.records", "2000")
                .doesNotContainKey("max.poll.records");
        assertThat(settings.consumer()).containsEntry("max.poll.records", "10")
                .containsEntry("bootstrap.servers", "10.0.0.2:9092");
    }
}
