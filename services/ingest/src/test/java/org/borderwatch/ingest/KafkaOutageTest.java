package org.borderwatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.borderwatch.ingest.event.Event;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.borderwatch.schemas.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka goes away and comes back: the API says so with 503 + Retry-After within its bound, never pretends with a
 * 202, and says the outcome is unknown (a stalled broker may still write the record), so the client retries with
 * the same eventId, which is counted once downstream.
 */
class KafkaOutageTest {

    /** max.block.ms + delivery.timeout.ms of application.yml, plus scheduling slack on a busy 2-core box. */
    private static final Duration BOUND = Duration.ofSeconds(5).plusSeconds(2);

    private static final String OUTCOME_UNKNOWN = Event.outcomeUnknown(Duration.ofSeconds(5)).detail();

    @TempDir
    static Path dir;

    private static EmbeddedKafkaCluster kafka;
    private static IngestApp app;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start();
        kafka.createTopics();
        app = IngestApp.start(kafka, dir);
    }

    @AfterAll
    static void stop() {
        app.close();
        kafka.close();
    }

    @Test
    void shouldAnswer503WithinTheBoundWhileTheBrokerIsDownAndAcceptExactlyOnceWhenItIsBack() {
        // Given: the service has published before, so the producer knows the topic's partitions
        final Map<String, Object> before = Reports.incident();
        assertThat(app.postJson("/v1/incidents", before).statusCode()).isEqualTo(202);
        final Map<String, Object> incident = Reports.incident();
        final Map<String, Object> batchIncident = Reports.with(Reports.incident(), "type", "incident");
        final Map<String, Object> batchSeizure = Reports.with(Reports.seizure(), "type", "seizure");

        kafka.stopBroker(0);
        try {
            // When a report arrives while the broker is down
            final long start = System.nanoTime();
            final HttpResponse<String> refused = app.postJson("/v1/incidents", incident);
            final Duration took = Duration.ofNanos(System.nanoTime() - start);

            // Then it is refused within the bound, with a hint when to come back
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(took).isLessThan(BOUND);
            assertThat(refused.headers().firstValue("Retry-After")).contains("5");
            assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(app.body(refused)).containsEntry("type", "urn:borderwatch:problem:service-unavailable")
                    .containsEntry("detail", OUTCOME_UNKNOWN);
            assertThat(OUTCOME_UNKNOWN).contains("outcome is unknown")
                    .contains("Retry with the same eventId; it is counted once").doesNotContain("not stored");

            // and a batch reports its valid lines as failed, not accepted
            final HttpResponse<String> batch = app.post("/v1/batch", "application/x-ndjson",
                    (Json.write(batchIncident) + "\n" + Json.write(batchSeizure)).getBytes(StandardCharsets.UTF_8),
                    IngestApp.AGENCY_KEY);
            assertThat(batch.statusCode()).as(batch.body()).isEqualTo(207);
            assertThat(app.body(batch)).containsEntry("failed", 2).containsEntry("accepted", 0);
            assertThat(batch.headers().firstValue("Retry-After")).contains("5");

            // and readiness says why
            assertThat(app.get("/health").statusCode()).isEqualTo(503);
        } finally {
            kafka.startBroker(0);
        }

        // When the agency retries the refused report after the broker is back
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> app.postJson("/v1/incidents", incident).statusCode() == 202);

        // Then it is on the topic, under its one eventId (a refused attempt may be there too: the 503 said the
        // outcome was unknown; the aggregator counts the eventId once)
        final List<String> incidents = TopicReader.eventIds(kafka.bootstrapServers(), Topics.INCIDENTS);
        assertThat(incidents).filteredOn(incident.get("eventId")::equals).isNotEmpty();
        assertThat(incidents).filteredOn(before.get("eventId")::equals).hasSize(1);
        assertThat(app.get("/health").statusCode()).isEqualTo(200);
    }
}
