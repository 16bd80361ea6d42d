package org.borderwatch.aggregator.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An instance whose Kafka Streams is not RUNNING (here: it cannot reach Kafka, so it stays REBALANCING) answers
 * every query with 503 and Retry-After, and reports itself not ready, instead of answering from state it does not
 * have.
 */
class NotRunningTest {

    @TempDir
    static Path dir;

    private static AggregatorApp app;

    @BeforeAll
    static void start() {
        // Port 1: nothing listens there, so every connection is refused at once.
        app = AggregatorApp.startWithoutKafka(Credentials.write(dir), dir.resolve("state"), "127.0.0.1:1");
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenStreamsIsNotRunning() {
        assertThat(app.state()).isIn(KafkaStreams.State.CREATED, KafkaStreams.State.REBALANCING);

        for (final String path : new String[] {"/v1/aggregates?region=TJ-KT", "/v1/aggregates/top"}) {
            final HttpResponse<String> response = app.http.get(path, Credentials.ANALYST_KEY);

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).contains("5");
            assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(app.http.map(response)).containsEntry("status", 503)
                    .containsEntry("type", "urn:borderwatch:problem:service-unavailable");
        }
    }

    @Test
    void shouldReportNotReadyButAliveWhenStreamsIsNotRunning() {
        assertThat(app.http.get("/health", null).statusCode()).isEqualTo(503);
        assertThat(app.http.get("/health/liveness", null).statusCode()).isEqualTo(200);
    }
}
