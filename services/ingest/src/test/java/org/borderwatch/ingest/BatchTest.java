package org.borderwatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.borderwatch.schemas.Topic;
import org.borderwatch.schemas.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NDJSON batches: valid lines reach Kafka, every other line is reported by its number, nothing is dropped. */
class BatchTest {

    private static final String NDJSON = "application/x-ndjson";

    @TempDir
    static Path dir;

    private static EmbeddedKafkaCluster kafka;
    private static IngestApp app;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start();
        kafka.createTopics();
        app = IngestApp.start(kafka, dir, Map.of("borderwatch.ingest.max-batch-lines", 50));
    }

    @AfterAll
    static void stop() {
        app.close();
        kafka.close();
    }

    @Test
    void shouldPublishValidLinesAndReportInvalidOnesByLineNumberWhenABatchIsMixed() {
        // Given: lines 1 and 5 valid, 2-4 and 7 broken in different ways, 6 blank
        final Map<String, Object> incident = typed("incident", Reports.incident());
        final Map<String, Object> seizure = typed("seizure", Reports.seizure());
        final Map<String, Object> badRegion = typed("incident", Reports.with(Reports.incident(), "region", "TJ-XX"));
        final Map<String, Object> otherAgency =
                typed("seizure", Reports.with(Reports.seizure(), "agencyId", IngestApp.OTHER_AGENCY));
        final String body = String.join("\n", Json.write(incident), Json.write(badRegion), "{\"type\": \"incident\",",
                Json.write(otherAgency), Json.write(seizure), "", Json.write(Reports.incident())) + "\n";

        // When
        final HttpResponse<String> response = post(body);

        // Then
        assertThat(response.statusCode()).as(response.body()).isEqualTo(207);
        final Map<String, Object> result = app.body(response);
        assertThat(result).containsEntry("lines", 6).containsEntry("accepted", 2).containsEntry("rejected", 4)
                .containsEntry("failed", 0);
        final List<Map<String, Object>> lines = results(result);
        assertThat(lines).extracting(line -> line.get("line") + ":" + line.get("status")).containsExactly(
                "1:accepted", "2:rejected", "3:rejected", "4:rejected", "5:accepted", "7:rejected");
        assertThat(lines.get(0)).containsEntry("eventId", incident.get("eventId"))
                .containsEntry("topic", "border.incidents.v1").containsKeys("partition", "offset");
        assertThat(lines.get(4)).containsEntry("eventId", seizure.get("eventId"))
                .containsEntry("topic", "border.seizures.v1");
        assertThat(errorsOf(lines.get(1))).containsExactly("region:unknown-region");
        assertThat(errorsOf(lines.get(2))).containsExactly(":malformed-json");
        assertThat(errorsOf(lines.get(3))).containsExactly("agencyId:agency-mismatch");
        assertThat(errorsOf(lines.get(5))).containsExactly("type:required");

        assertThat(eventIds(Topics.INCIDENTS)).contains((String) incident.get("eventId"))
                .doesNotContain((String) badRegion.get("eventId"));
        assertThat(eventIds(Topics.SEIZURES)).contains((String) seizure.get("eventId"))
                .doesNotContain((String) otherAgency.get("eventId"));
    }

    @Test
    void shouldRejectExactlyTheLinesOutsideTheCredentialsRegionsWhenABatchMixesCountries() {
        // Given: the Tajik key; lines 1 and 4 in Tajikistan, 2 (Uzbekistan) and 3 (Afghanistan) outside TJ-*
        final Map<String, Object> inside = typed("incident", Reports.incident());
        final Map<String, Object> uzbek = typed("incident", Reports.with(Reports.incident(), "region", "UZ-SU"));
        final Map<String, Object> afghan = typed("seizure", Reports.with(Reports.seizure(), "region", "AF-KDZ"));
        final Map<String, Object> insideSeizure = typed("seizure", Reports.seizure());

        // When
        final HttpResponse<String> response = post(String.join("\n", Json.write(inside), Json.write(uzbek),
                Json.write(afghan), Json.write(insideSeizure)));

        // Then: each refused line names its number, the field and the rule; only the Tajik lines reach Kafka
        assertThat(response.statusCode()).as(response.body()).isEqualTo(207);
        final List<Map<String, Object>> lines = results(app.body(response));
        assertThat(lines).extracting(line -> line.get("line") + ":" + line.get("status")).containsExactly(
                "1:accepted", "2:rejected", "3:rejected", "4:accepted");
        assertThat(errorsOf(lines.get(1))).containsExactly("region:outside-credential-regions");
        assertThat(errorsOf(lines.get(2))).containsExactly("region:outside-credential-regions");
        assertThat(eventIds(Topics.INCIDENTS)).contains((String) inside.get("eventId"))
                .doesNotContain((String) uzbek.get("eventId"));
        assertThat(eventIds(Topics.SEIZURES)).contains((String) insideSeizure.get("eventId"))
                .doesNotContain((String) afghan.get("eventId"));
    }

    @Test
    void shouldAnswer200WhenEveryLineIsAccepted() {
        final List<String> lines = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            lines.add(Json.write(i % 2 == 0 ? typed("incident", Reports.incident()) : typed("seizure",
                    Reports.seizure())));
        }

        final HttpResponse<String> response = post(String.join("\r\n", lines));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(app.body(response)).containsEntry("lines", 20).containsEntry("accepted", 20);
        assertThat(response.headers().firstValue("Retry-After")).isEmpty();
    }

    @Test
    void shouldRejectALineWhenItsTypeIsUnknown() {
        final HttpResponse<String> response = post(Json.write(typed("sighting", Reports.incident())));

        assertThat(response.statusCode()).isEqualTo(207);
        assertThat(errorsOf(results(app.body(response)).get(0))).containsExactly("type:enum");
    }

    @Test
    void shouldAnswer413AndPublishNothingWhenTheBatchHasTooManyLines() {
        final String id = UUID.randomUUID().toString();
        final List<String> lines = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            lines.add(Json.write(typed("incident", Reports.with(Reports.incident(), "agencyId", "TJ-BORDER-GUARD"))));
        }
        lines.set(0, Json.write(typed("incident", Reports.with(Reports.incident(), "eventId", id))));

        final HttpResponse<String> response = post(String.join("\n", lines));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(app.body(response).get("detail").toString()).contains("51 events", "at most 50");
        assertThat(eventIds(Topics.INCIDENTS)).doesNotContain(id);
    }

    @Test
    void shouldAnswer400WhenTheBatchIsEmpty() {
        assertThat(post("\n\n").statusCode()).isEqualTo(400);
    }

    @Test
    void shouldAnswer415WhenTheBatchIsNotNdjson() {
        for (final String contentType : new String[] {"application/json", null}) {
            final HttpResponse<String> response = app.post("/v1/batch", contentType,
                    Json.bytes(typed("incident", Reports.incident())), IngestApp.AGENCY_KEY);

            assertThat(response.statusCode()).as("Content-Type %s", contentType).isEqualTo(415);
            assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        }
    }

    private static Map<String, Object> typed(final String type, final Map<String, Object> report) {
        return Reports.with(report, "type", type);
    }

    private static HttpResponse<String> post(final String body) {
        return app.post("/v1/batch", NDJSON, body.getBytes(StandardCharsets.UTF_8), IngestApp.AGENCY_KEY);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> results(final Map<String, Object> result) {
        return (List<Map<String, Object>>) result.get("results");
    }

    @SuppressWarnings("unchecked")
    private static List<String> errorsOf(final Map<String, Object> line) {
        return ((List<Map<String, Object>>) line.get("errors")).stream()
                .map(error -> error.get("field") + ":" + error.get("rule")).toList();
    }

    private static List<String> eventIds(final Topic<String, ?> topic) {
        return TopicReader.eventIds(kafka.bootstrapServers(), topic);
    }
}
