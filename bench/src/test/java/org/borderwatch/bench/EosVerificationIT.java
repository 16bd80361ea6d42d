package org.borderwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.borderwatch.bench.eos.EosResult;
import org.borderwatch.bench.eos.EosRun;
import org.borderwatch.bench.process.AggregatorLauncher;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The exactly-once verification at CI size, against the packaged aggregator service run as a child process
 * (the build points {@code borderwatch.aggregator.home} at {@code services/aggregator/target}).
 */
class EosVerificationIT {

    private static EmbeddedKafkaCluster kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start();
        kafka.createTopics();
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void shouldKeepEveryAggregateExactWhenTheAggregatorIsKilledHardWhileItWorks() throws Exception {
        // Given 10,000 reports of 12 regions over two hourly windows, 5% of them retried, 6 late and 3 poison
        // records, published over 30 s
        final EosRun.Settings settings = new EosRun.Settings(10_000, 3, 0.05, 6, Duration.ofSeconds(30), 20260302L,
                "512m", Map.of());
        final Path workDir = Files.createDirectories(Path.of(System.getProperty("borderwatch.bench.work-dir",
                "target/eos-it")));

        // When the aggregator process is SIGKILLed three times while it processes them, and restarted each time
        final EosResult result = new EosRun(settings).run(kafka.bootstrapServers(), AggregatorLauncher.defaultHome(),
                workDir);

        // Then every aggregate's last committed value equals the figures computed from the input, each late report
        // is on the late topic once and each poison record on the dead-letter topic once
        assertThat(result.problems()).as(result.summary()).isEmpty();
        assertThat(result.kills()).hasSize(3);
        assertThat(result.kills()).as("each kill lands while input remains to be processed")
                .allSatisfy(kill -> assertThat(kill.committed()).isPositive().isLessThan(result.inputRecords()));
        assertThat(result.lateEventsRead()).isEqualTo(6);
        assertThat(result.deadLettersRead()).isEqualTo(3);
    }
}
