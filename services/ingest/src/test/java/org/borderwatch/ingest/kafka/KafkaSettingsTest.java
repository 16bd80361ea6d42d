package org.borderwatch.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
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

        // application.yml adds its producer time bounds.
        assertThat(settings.producer()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "bootstrap.servers", "10.0.0.1:9092", "request.timeout.ms", "2500", "linger.ms", "7",
                "max.block.ms", "2000", "delivery.timeout.ms", "3000"));
        assertThat(settings.admin()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "bootstrap.servers", "10.0.0.1:9092", "request.timeout.ms", "1500",
                "default.api.timeout.ms", "4000"));
    }
}
