package org.borderwatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.borderwatch.avro.BorderIncident;
import org.borderwatch.avro.Confidence;
import org.borderwatch.avro.DetectionMethod;
import org.borderwatch.avro.DrugSeizure;
import org.borderwatch.avro.DrugType;
import org.borderwatch.avro.GeoPoint;
import org.borderwatch.avro.Severity;
import org.borderwatch.avro.ThreatType;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.borderwatch.schemas.Topic;
import org.borderwatch.schemas.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reports go over HTTP into Kafka exactly as sent; who may publish what; the operational endpoints. */
class PublishTest {

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
        // The service first: its clients would otherwise wait out their timeouts against a stopped broker.
        if (app != null) {
            app.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldPublishEveryFieldOfAnIncidentKeyedByRegionWhenKafkaAcknowledged() {
        final Map<String, Object> incident = Reports.incident();

        final HttpResponse<String> response = app.postJson("/v1/incidents", incident);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        final Map<String, Object> receipt = app.body(response);
        assertThat(receipt).containsEntry("eventId", incident.get("eventId"))
                .containsEntry("topic", "border.incidents.v1").containsKeys("partition", "offset");
        final ConsumerRecord<String, BorderIncident> record = find(Topics.INCIDENTS, (String) incident.get("eventId"));
        assertThat(record.key()).isEqualTo("TJ-KT");
        assertThat(record.partition()).isEqualTo(((Number) receipt.get("partition")).intValue());
        assertThat(record.offset()).isEqualTo(((Number) receipt.get("offset")).longValue());
        assertThat(record.value()).isEqualTo(BorderIncident.newBuilder()
                .setEventId(UUID.fromString((String) incident.get("eventId")))
                .setAgencyId("TJ-BORDER-GUARD")
                .setOccurredAt(Instant.parse((String) incident.get("occurredAt")))
                .setReportedAt(Instant.parse((String) incident.get("reportedAt")))
                .setRegion("TJ-KT")
                .setBorderSection("Panj river, sector 4")
                .setLocation(new GeoPoint(37.2311, 69.0871))
                .setSeverity(Severity.HIGH)
                .setConfidence(Confidence.PROBABLE)
                .setThreatType(ThreatType.ILLEGAL_CROSSING)
                .setPersonsInvolved(3)
                .setDetectedBy(DetectionMethod.PATROL)
                .setDescription("Group of three crossed the Panj at night; boat left on the bank. Ғ ӯ қ 🚤")
                .build());
    }

    @Test
    void shouldPublishEveryFieldOfASeizureKeyedByRegionWhenKafkaAcknowledged() {
        final Map<String, Object> seizure = Reports.seizure();

        final HttpResponse<String> response = app.postJson("/v1/seizures", seizure);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(app.body(response)).containsEntry("topic", "border.seizures.v1");
        final ConsumerRecord<String, DrugSeizure> record = find(Topics.SEIZURES, (String) seizure.get("eventId"));
        assertThat(record.key()).isEqualTo("TJ-GB");
        assertThat(record.value()).isEqualTo(DrugSeizure.newBuilder()
                .setEventId(UUID.fromString((String) seizure.get("eventId")))
                .setAgencyId("TJ-BORDER-GUARD")
                .setOccurredAt(Instant.parse((String) seizure.get("occurredAt")))
                .setReportedAt(Instant.parse((String) seizure.get("reportedAt")))
                .setRegion("TJ-GB")
                .setBorderSection("Panj river, sector 4")
                .setLocation(new GeoPoint(37.2311, 69.0871))
                .setSeverity(Severity.HIGH)
                .setConfidence(Confidence.PROBABLE)
                .setDrugType(DrugType.HEROIN)
                .setQuantityKg(12.75)
                .setDepartureCountry("AF")
                .setDestinationCountry("RU")
                .setConcealment("spare tyre")
                .setArrests(2)
                .build());
    }

    @Test
    void shouldFillDefaultsWhenOptionalFieldsAreAbsent() {
        final Map<String, Object> minimal = Reports.incident();
        for (final String optional : List.of("reportedAt", "borderSection", "location", "personsInvolved",
                "description")) {
            minimal.remove(optional);
        }
        final Instant before = Reports.now();

        final HttpResponse<String> response = app.postJson("/v1/incidents", minimal);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        final BorderIncident published = find(Topics.INCIDENTS, (String) minimal.get("eventId")).value();
        assertThat(published.getReportedAt()).isBetween(before, Instant.now());
        assertThat(published.getBorderSection()).isNull();
        assertThat(published.getLocation()).isNull();
        assertThat(published.getPersonsInvolved()).isZero();
        assertThat(published.getDescription()).isNull();
    }

    @Test
    void shouldAcceptTheSameEventIdTwiceWhenAnAgencyRetries() {
        // Deduplication by eventId is the aggregator's job; ingest records what it was told, each time.
        final Map<String, Object> incident = Reports.incident();

        assertThat(app.postJson("/v1/incidents", incident).statusCode()).isEqualTo(202);
        assertThat(app.postJson("/v1/incidents", incident).statusCode()).isEqualTo(202);

        assertThat(TopicReader.eventIds(kafka.bootstrapServers(), Topics.INCIDENTS))
                .filteredOn(incident.get("eventId")::equals).hasSize(2);
    }

    @Test
    void shouldAcceptAnyAgencyWhenTheCredentialIsAdmin() {
        final Map<String, Object> incident = Reports.with(Reports.incident(), "agencyId", IngestApp.OTHER_AGENCY);

        final HttpResponse<String> response = app.post("/v1/incidents", "application/json", Json.bytes(incident),
                IngestApp.ADMIN_KEY);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(find(Topics.INCIDENTS, (String) incident.get("eventId")).value().getAgencyId())
                .isEqualTo(IngestApp.OTHER_AGENCY);
    }

    @Test
    void shouldAnswer403AndPublishNothingWhenAnAgencyPublishesForAnother() {
        final Map<String, Object> incident = Reports.with(Reports.incident(), "agencyId", IngestApp.OTHER_AGENCY);

        final HttpResponse<String> response = app.postJson("/v1/incidents", incident);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(app.body(response).get("errors")).isEqualTo(List.of(Map.of("field", "agencyId",
                "rule", "agency-mismatch", "message", "credential 'tj-border-guard' publishes for agency"
                        + " 'TJ-BORDER-GUARD' only, not for 'UZ-CUSTOMS'")));
        assertThat(TopicReader.eventIds(kafka.bootstrapServers(), Topics.INCIDENTS))
                .doesNotContain((String) incident.get("eventId"));
    }

    @Test
    void shouldAnswer403NamingRegionAndPublishNothingWhenATajikKeyPublishesForAnotherCountry() {
        // Given: the Tajik border guard's key (regions TJ-*), its own agencyId, regions of Uzbekistan and Afghanistan
        final Map<String, Object> incident = Reports.with(Reports.incident(), "region", "UZ-SU");
        final Map<String, Object> seizure = Reports.with(Reports.seizure(), "region", "AF-KDZ");
        final long before = TopicReader.count(kafka.bootstrapServers(), Topics.INCIDENTS)
                + TopicReader.count(kafka.bootstrapServers(), Topics.SEIZURES);

        // When
        final HttpResponse<String> refusedIncident = app.postJson("/v1/incidents", incident);
        final HttpResponse<String> refusedSeizure = app.postJson("/v1/seizures", seizure);

        // Then: 403 problem+json naming the field and the rule; neither input topic got a record
        assertThat(refusedIncident.statusCode()).as(refusedIncident.body()).isEqualTo(403);
        assertThat(refusedIncident.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(app.body(refusedIncident).get("errors")).isEqualTo(List.of(Map.of("field", "region",
                "rule", "outside-credential-regions", "message", "credential 'tj-border-guard' publishes only for"
                        + " its regions [TJ-*], not for 'UZ-SU'")));
        assertThat(refusedSeizure.statusCode()).as(refusedSeizure.body()).isEqualTo(403);
        assertThat(app.body(refusedSeizure).get("errors")).asString().contains("region", "outside-credential-regions",
                "AF-KDZ");
        assertThat(TopicReader.count(kafka.bootstrapServers(), Topics.INCIDENTS)
                + TopicReader.count(kafka.bootstrapServers(), Topics.SEIZURES)).isEqualTo(before);
    }

    @Test
    void shouldNameBothRulesWhenAnotherAgencysEventIsInAnotherCountry() {
        final Map<String, Object> incident = Reports.with(Reports.with(Reports.incident(), "region", "UZ-SU"),
                "agencyId", IngestApp.OTHER_AGENCY);

        final HttpResponse<String> response = app.postJson("/v1/incidents", incident);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(app.body(response).get("errors")).asString()
                .contains("agency-mismatch", "outside-credential-regions");
    }

    @Test
    void shouldAnswer422UnknownRegionWhenAnAgencyNamesItsCountrysRollUpCode() {
        // "TJ-*" covers the country code TJ (the aggregator's roll-up), but no report is filed for a whole country.
        final HttpResponse<String> response = app.postJson("/v1/incidents",
                Reports.with(Reports.incident(), "region", "TJ"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        assertThat(app.body(response).get("errors")).asString().contains("unknown-region")
                .doesNotContain("outside-credential-regions");
    }

    @Test
    void shouldPublishForAnyRegionWhenTheAdminCredentialCoversEveryRegion() {
        final Map<String, Object> incident = Reports.with(Reports.with(Reports.incident(), "region", "UZ-SU"),
                "agencyId", IngestApp.OTHER_AGENCY);

        final HttpResponse<String> response = app.post("/v1/incidents", "application/json", Json.bytes(incident),
                IngestApp.ADMIN_KEY);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(find(Topics.INCIDENTS, (String) incident.get("eventId")).key()).isEqualTo("UZ-SU");
    }

    @Test
    void shouldAnswer401WhenNoOrAnUnknownKeyIsSent() {
        for (final String key : new String[] {null, "bw_not-a-key"}) {
            final HttpResponse<String> response = app.post("/v1/seizures", "application/json",
                    Json.bytes(Reports.seizure()), key);
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(app.body(response)).containsEntry("status", 401);
        }
    }

    @Test
    void shouldAnswer403AndPublishNothingWhenAnAnalystOrOperationsCenterKeyPublishes() {
        // Both keys may see every region; neither role may publish, whatever the body says.
        for (final String key : List.of(IngestApp.ANALYST_KEY, IngestApp.OPS_KEY)) {
            final Map<String, Object> incident = Reports.incident();
            for (final String path : List.of("/v1/incidents", "/v1/seizures")) {
                final HttpResponse<String> response = app.post(path, "application/json",
                        Json.bytes(path.endsWith("incidents") ? incident : Reports.seizure()), key);
                assertThat(response.statusCode()).isEqualTo(403);
                assertThat(app.body(response)).containsEntry("status", 403);
            }
            final HttpResponse<String> batch = app.post("/v1/batch", "application/x-ndjson",
                    Json.bytes(Reports.with(incident, "type", "incident")), key);
            assertThat(batch.statusCode()).isEqualTo(403);
            assertThat(TopicReader.eventIds(kafka.bootstrapServers(), Topics.INCIDENTS))
                    .doesNotContain((String) incident.get("eventId"));
        }
    }

    @Test
    void shouldReportKafkaUpWhenTheBrokerAnswers() {
        final HttpResponse<String> response = app.get("/health");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(app.body(response)).containsEntry("status", "UP");
    }

    @Test
    void shouldCountAcceptedAndRejectedEventsWhenPrometheusScrapes() {
        app.postJson("/v1/seizures", Reports.seizure());
        app.postJson("/v1/seizures", Reports.with(Reports.seizure(), "quantityKg", -1));

        final HttpResponse<String> response = app.get("/prometheus");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .containsPattern("borderwatch_ingest_accepted_total\\{type=\"seizure\"} [1-9]")
                .containsPattern("borderwatch_ingest_rejected_total\\{reason=\"validation\"} [1-9]")
                .contains("borderwatch_ingest_rejected_total{reason=\"kafka-unavailable\"} 0.0");
    }

    @Test
    void shouldServeTheOpenApiDocumentWhenNoKeyIsSent() {
        final HttpResponse<String> response = app.get("/swagger/borderwatch-ingest-0.1.yml");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("/v1/incidents", "/v1/seizures", "/v1/batch", "X-API-Key");
    }

    private static <V> ConsumerRecord<String, V> find(final Topic<String, V> topic,
                                                      final String eventId) {
        final List<ConsumerRecord<String, V>> records = TopicReader.readAll(kafka.bootstrapServers(), topic)
                .stream().filter(record -> TopicReader.eventIdOf(record.value()).equals(eventId)).toList();
        assertThat(records).as("records of event %s on %s", eventId, topic).hasSize(1);
        return records.get(0);
    }
}
