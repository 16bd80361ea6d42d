package org.borderwatch.aggregator.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import io.micronaut.inject.BeanConfiguration;
import org.apache.kafka.streams.StreamsConfig;
import org.borderwatch.aggregator.AggregatorTopology;
import org.borderwatch.aggregator.store.StoreNames;
import org.borderwatch.aggregator.window.Granularity;
import org.borderwatch.aggregator.window.WindowSpec;
import org.junit.jupiter.api.Test;
import org.borderwatch.service.kafka.KafkaSettings;

/** Configuration reaches Kafka Streams and the clients from application.yml and from environment variables. */
class SettingsTest {

    @Test
    void shouldTakeKafkaSettingsFromEnvironmentVariablesOverApplicationYml() {
        try (ApplicationContext context = context(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "10.0.0.1:9092",
                "KAFKA_STREAMS_NUM_STREAM_THREADS", "3",
                "KAFKA_STREAMS_MAIN_CONSUMER_MAX_POLL_RECORDS", "2000",
                "KAFKA_PRODUCER_LINGER_MS", "7"))) {
            final KafkaSettings kafka = context.getBean(KafkaSettings.class);

            assertThat(kafka.bootstrapServers()).isEqualTo("10.0.0.1:9092");
            assertThat(kafka.streams()).containsEntry("bootstrap.servers", "10.0.0.1:9092")
                    .containsEntry("num.stream.threads", "3")
                    .containsEntry("main.consumer.max.poll.records", "2000")
                    .doesNotContainKey("linger.ms");
            assertThat(kafka.producer()).containsEntry("linger.ms", "7").containsEntry("max.block.ms", "2000");
            assertThat(kafka.admin()).containsEntry("bootstrap.servers", "10.0.0.1:9092");
        }
    }

    @Test
    void shouldRunExactlyOnceWithThisInstancesStateDirAndAddressWhenConfigured() {
        try (ApplicationContext context = context(Map.of(
                "BORDERWATCH_AGGREGATOR_APPLICATION_ID", "agg-eu",
                "BORDERWATCH_AGGREGATOR_WINDOWS", "PT1H,PT6H/PT1H",
                "BORDERWATCH_AGGREGATOR_STREAM_THREADS", "1"))) {
            final StreamsHost host = context.getBean(StreamsHost.class);

            final Properties properties = host.streamsProperties("10.0.0.7:8082", "/var/lib/agg-1");

            assertThat(properties).containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "agg-eu")
                    .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                    .containsEntry(StreamsConfig.STATE_DIR_CONFIG, "/var/lib/agg-1")
                    .containsEntry(StreamsConfig.APPLICATION_SERVER_CONFIG, "10.0.0.7:8082")
                    .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
            assertThat(host.config().windows()).extracting(WindowSpec::name).containsExactly("PT1H", "PT6H");
            assertThat(host.config().windows().get(1).advance()).hasHours(1);
        }
    }

    @Test
    void shouldAddMinuteWindowsAndTheirStoresWhenTheEnvironmentListsThem() {
        try (ApplicationContext context = context(Map.of(
                "BORDERWATCH_AGGREGATOR_WINDOWS", "PT1M,PT10M/PT1M,PT1H,PT24H/PT1H,P7D/P1D"))) {
            final StreamsHost host = context.getBean(StreamsHost.class);

            assertThat(host.config().windows()).extracting(WindowSpec::name)
                    .containsExactly("PT1M", "PT10M", "PT1H", "PT24H", "P7D");
            assertThat(host.config().windows()).extracting(WindowSpec::granularity).containsExactly(
                    Granularity.MINUTELY, Granularity.MINUTELY, Granularity.HOURLY, Granularity.HOURLY,
                    Granularity.DAILY);
            assertThat(AggregatorTopology.build(host.config()).describe().toString())
                    .contains(StoreNames.REGION_MINUTELY_STORE, StoreNames.COUNTRY_MINUTELY_STORE);
        }
    }

    @Test
    void shouldRefuseToStartWhenAtLeastOnceIsConfigured() {
        try (ApplicationContext context = context(Map.of(
                "KAFKA_STREAMS_PROCESSING_GUARANTEE", "at_least_once"))) {
            assertThatThrownBy(() -> context.getBean(StreamsHost.class))
                    .hasStackTraceContaining("processing.guarantee=at_least_once")
                    .hasStackTraceContaining("only correct with exactly_once_v2");
        }
    }

    @Test
    void shouldCommitEverySecondUnlessConfiguredOtherwise() {
        try (ApplicationContext context = context(Map.of())) {
            assertThat(context.getBean(StreamsHost.class).streamsProperties("127.0.0.1:8082", "/tmp/agg"))
                    .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000L);
        }
        try (ApplicationContext context = context(Map.of("KAFKA_STREAMS_COMMIT_INTERVAL_MS", "100"))) {
            assertThat(context.getBean(StreamsHost.class).streamsProperties("127.0.0.1:8082", "/tmp/agg"))
                    .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        }
    }

    @Test
    void shouldReadTumblingAndHoppingWindowsWhenListed() {
        assertThat(AggregatorSettings.windowSpecs(List.of("PT1H", " PT24H/PT1H ", "P7D/P1D", "")))
                .containsExactly(WindowSpec.tumbling("PT1H"), WindowSpec.hopping("PT24H", "PT1H"),
                        WindowSpec.hopping("P7D", "P1D"));
    }

    /**
     * A context with these environment variables, no HTTP server (so Kafka Streams does not start), and none of
     * the beans that connect or read files at start (credentials, rule catalog and writer).
     */
    private static ApplicationContext context(final Map<String, Object> environment) {
        return ApplicationContext.builder()
                .propertySources(PropertySource.of("test-env", environment,
                        PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE))
                .beanConfigurations(BeanConfiguration.disabled("org.borderwatch.ingest"),
                        BeanConfiguration.disabled("org.borderwatch.service.security"),
                        BeanConfiguration.disabled("org.borderwatch.aggregator.rules.api"))
                .build()
                .start();
    }
}
