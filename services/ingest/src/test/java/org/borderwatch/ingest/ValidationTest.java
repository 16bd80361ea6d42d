package org.borderwatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.borderwatch.schemas.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per validation rule: each invalid report is answered 422 problem+json naming the field and the rule,
 * and nothing of it reaches Kafka (checked once all tests ran).
 */
class ValidationTest {

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
        try {
            assertThat(TopicReader.count(kafka.bootstrapServers(), Topics.INCIDENTS)).isZero();
            assertThat(TopicReader.count(kafka.bootstrapServers(), Topics.SEIZURES)).isZero();
        } finally {
            app.close();
            kafka.close();
        }
    }

    @Test
    void shouldRejectAnUnknownRegionWhenTheCodeIsNotInTheReferenceList() {
        assertBroken("/v1/incidents", Reports.with(Reports.incident(), "region", "TM-LE"), "region", "unknown-region");
        assertBroken("/v1/incidents", Reports.with(Reports.incident(), "region", "tj-kt"), "region", "unknown-region");
    }

    @Test
    void shouldRejectAnUnknownEnumValueWhenItIsNotASymbolOfTheSchema() {
        assertBroken("/v1/incidents", Reports.with(Reports.incident(), "severity", "high"), "severity", "enum");
        assertBroken("/v1/incidents", Reports.with(Reports.incident(), "detectedBy", "DRONE"), "detectedBy", "enum");
        assertBroken("/v1/seizures", Reports.with(Reports.seizure(), "drugType", "KHAT"), "drugType", "enum");
    }

    @Test
    void shouldRejectAMissingRequiredFieldWhenItIsAbsentNullOrBlank() {
        for (final String field : List.of("eventId", "agencyId", "occurredAt", "region", "severity", "confidence",
                "threatType", "detectedBy")) {
            assertBroken("/v1/incidents", Reports.with(Reports.incident(), field, null), field, "required");
        }
        for (final String field : List.of("drugType", "quantityKg")) {
            assertBroken("/v1/seizures", Reports.with(Reports.seizure(), field, null), field, "required");
        }
        assertBroken("/v1/incidents", Reports.with(Reports.incident(), "agencyId", "  "), "agencyId", "required");
    }

    @Test
    void shouldRejectAnEventIdWhenItIsNotAUuid() {
        assertBroken("/v1/incidents", Reports.with(Reports.incident(), "eventId", "incident-42"), "eventId", "uuid");
        assertBroken("/v1/incidents", Reports.with(Reports.incident(), "eventId", "1-1-1-1-1"), "eventId", "uuid");
        assertBroken("/v1/incidents", Reports.with(Reports.incident(), "eventId", 42), "eventId", "type");
    }

    @Test
    void shouldRejectQuantityKgWhenNegativeZeroOrAbsurd() {
        assertBroken("/v1/seizures", Reports.with(Reports.seizure(), "quantityKg", -3.5), "quantityKg", "positive");
        assertBroken("/v1/seizures", Reports.with(Reports.seizure(), "quantityKg", 0), "quantityKg", "positive");
        assertBroken("/v1/seizures", Reports.with(Reports.seizure(), "quantityKg", 10_000.001), "quantityKg", "range");
        assertBroken("/v1/seizures", Reports.with(Reports.seizure(), "quantityKg", new Json.Raw("1e999")),
                "quantityKg", "range");
    }

    @Test
    void shouldRejectPersonCountsWhenNegativeAbsurdOrFractional() {
        assertBroken("/v1/incidents", Reports.with(Reports.incident(), "personsInvolved", -1), "personsInvolved",
                "range");
        assertBroken("/v1/incidents", Reports.with(Reports.incident(), "personsInvolved", 10_001), "personsInvolved",
                "range");
        assertBroken("/v1/incidents", Reports.with(Reports.incident(), "personsInvolved", 2.5), "personsInvolved",
                "type");
        assertBroken("/v1/seizures", Reports.with(Reports.seizure(), "arrests", -2), "arrests", "range");
        assertBroken("/v1/seizures", Reports.with(Reports.seizure(), "arrests",
                new Json.Raw("123456789012345678901234567890")), "arrests", "range");
    }

    @Test
    void shouldRejectOccurredAtWhenBeyondTheClockSkewInTheFuture() {
        final String inTenMinutes = Reports.now().plus(Duration.ofMinutes(10)).toString();
        assertBroken("/v1/incidents", Reports.with(Reports.incident(), "occurredAt", inTenMinutes), "occurredAt",
                "future");
        assertBroken("/v1/incidents", Reports.with(Reports.incident(), "reportedAt", inTenMinutes), "reportedAt",
                "future");
    }

    @Test
    void shouldRejectOccurredAtWhenOlderThanTheMaximumAge() {
        final String fortyDaysAgo = Reports.now().minus(Duration.ofDays(40)).toString();
        assertBroken("/v1/seizures", Reports.with(Reports.seizure(), "occurredAt", fortyDaysAgo), "occurredAt",
                "too-old");
    }

    @Test
    void shouldRejectATimestampWhenItIsNotAnIsoInstant() {
        assertBroken("/v1/incidents", Reports.with(Reports.incident(), "occurredAt", "2025-03-01 04:30"),
                "occurredAt", "instant");
        assertBroken("/v1/incidents", Reports.with(Reports.incident(), "occurredAt", 1740803400000L),
                "occurredAt", "type");
    }

    @Test
    void shouldRejectALocationWhenLatitudeOrLongitudeIsOutOfRange() {
        assertBroken("/v1/incidents", Reports.with(Reports.incident(), "location",
                Map.of("latitude", 91.0, "longitude", 69.0)), "location.latitude", "range");
        assertBroken("/v1/incidents", Reports.with(Reports.incident(), "location",
                Map.of("latitude", 37.0, "longitude", -180.5)), "location.longitude", "range");
        assertBroken("/v1/incidents", Reports.with(Reports.incident(), "location", Map.of("latitude", 37.0)),
                "location.longitude", "required");
        assertBroken("/v1/incidents", Reports.with(Reports.incident(), "location", "37.2,69.1"), "location", "type");
    }

    @Test
    void shouldRejectAStringWhenItIsLongerThanItsLimit() {
        assertBroken("/v1/incidents", Reports.with(Reports.incident(), "description", "x".repeat(4001)),
                "description", "max-length");
        assertBroken("/v1/incidents", Reports.with(Reports.incident(), "borderSection", "ы".repeat(201)),
                "borderSection", "max-length");
        assertBroken("/v1/seizures", Reports.with(Reports.seizure(), "concealment", "x".repeat(201)),
                "concealment", "max-length");
        assertBroken("/v1/seizures", Reports.with(Reports.seizure(), "agencyId", "A".repeat(201)),
                "agencyId", "max-length");
        // Characters, not UTF-16 units: 4000 emoji are within the limit.
        assertThat(app.postJson("/v1/incidents", Reports.with(Reports.with(Reports.incident(), "eventId", "nope"),
                "description", "🚤".repeat(4000))).body()).doesNotContain("max-length");
    }

    @Test
    void shouldRejectAStringWhenItHoldsAnUnpairedSurrogate() {
        assertBroken("/v1/incidents", Reports.with(Reports.incident(), "description", "boat \ud83d near bank"),
                "description", "unicode");
    }

    @Test
    void shouldRejectACountryWhenItIsNotIso3166Alpha2() {
        assertBroken("/v1/seizures", Reports.with(Reports.seizure(), "departureCountry", "AFG"), "departureCountry",
                "iso-country");
        assertBroken("/v1/seizures", Reports.with(Reports.seizure(), "destinationCountry", "ru"),
                "destinationCountry", "iso-country");
        assertBroken("/v1/seizures", Reports.with(Reports.seizure(), "destinationCountry", "XK"),
                "destinationCountry", "iso-country");
    }

    @Test
    void shouldRejectDrugTraffickingWhenReportedAsAnIncident() {
        assertBroken("/v1/incidents", Reports.with(Reports.incident(), "threatType", "DRUG_TRAFFICKING"),
                "threatType", "use-seizures-endpoint");
    }

    @Test
    void shouldRejectAnUnknownFieldWhenAClientMisspellsOne() {
        assertBroken("/v1/incidents", Reports.with(Reports.incident(), "severty", "HIGH"), "severty",
                "unknown-field");
        assertBroken("/v1/seizures", Reports.with(Reports.seizure(), "threatType", "DRUG_TRAFFICKING"), "threatType",
                "unknown-field");
        assertBroken("/v1/incidents", Reports.with(Reports.incident(), "location",
                Map.of("latitude", 37.0, "longitude", 69.0, "altitude", 400)), "location.altitude", "unknown-field");
    }

    @Test
    void shouldRejectAWrongJsonTypeWhenAFieldHasOne() {
        assertBroken("/v1/incidents", Reports.with(Reports.incident(), "agencyId", List.of("TJ")), "agencyId", "type");
        assertBroken("/v1/seizures", Reports.with(Reports.seizure(), "quantityKg", "12"), "quantityKg", "type");
        assertBroken("/v1/incidents", Reports.with(Reports.incident(), "severity", 3), "severity", "type");
        final HttpResponse<String> array = app.post("/v1/incidents", "application/json",
                "[]".getBytes(StandardCharsets.UTF_8), IngestApp.AGENCY_KEY);
        assertThat(array.statusCode()).isEqualTo(422);
        assertThat(errors(array)).contains(Map.of("field", "", "rule", "type",
                "message", "an event must be a JSON object"));
    }

    @Test
    void shouldReportEveryBrokenRuleAtOnceWhenSeveralAreBroken() {
        Map<String, Object> seizure = Reports.with(Reports.seizure(), "eventId", "x");
        seizure = Reports.with(seizure, "region", "ZZ-ZZ");
        seizure = Reports.with(seizure, "quantityKg", 0);
        seizure = Reports.with(seizure, "confidence", null);
        seizure = Reports.with(seizure, "colour", "red");

        final HttpResponse<String> response = app.postJson("/v1/seizures", seizure);

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(app.body(response)).containsEntry("type", "urn:borderwatch:problem:invalid-request")
                .containsEntry("instance", "/v1/seizures").containsEntry("detail", "5 rules are broken; see errors.");
        assertThat(errors(response)).extracting(error -> error.get("field") + ":" + error.get("rule"))
                .containsExactlyInAnyOrder("colour:unknown-field", "eventId:uuid", "region:unknown-region",
                        "quantityKg:positive", "confidence:required");
    }

    @Test
    void shouldAnswer400WhenTheBodyIsNotJson() {
        for (final String body : List.of("{\"eventId\": ", "", "not json", "{\"a\":1}}")) {
            final HttpResponse<String> response = app.post("/v1/incidents", "application/json",
                    body.getBytes(StandardCharsets.UTF_8), IngestApp.AGENCY_KEY);
            assertThat(response.statusCode()).as("body %s -> %s", body, response.body()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        }
    }

    @Test
    void shouldRefuseOverlongUtf8NamingTheByteOffsetWhenABorderSectionHidesASlash() {
        // "borderSection": "..<C0 AF>..<C0 AF>etc": a lenient decoder stores "../../etc".
        final String json = Json.write(Reports.with(Reports.incident(), "borderSection", "..#..#etc"));
        final int offset = json.substring(0, json.indexOf('#')).getBytes(StandardCharsets.UTF_8).length;
        final String line = "{\"type\": \"incident\", " + json.substring(1);

        final HttpResponse<String> single = app.post("/v1/incidents", "application/json", overlong(json),
                IngestApp.AGENCY_KEY);
        final HttpResponse<String> batch = app.post("/v1/batch", "application/x-ndjson", overlong(line),
                IngestApp.AGENCY_KEY);

        for (final HttpResponse<String> response : List.of(single, batch)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(errors(response)).singleElement().satisfies(error -> assertThat(error)
                    .containsEntry("field", "").containsEntry("rule", "utf-8"));
            assertThat(response.body()).contains("overlong").doesNotContain("../../etc");
        }
        assertThat(app.body(single).get("detail").toString()).contains("at byte offset " + offset + ".");
        // Nothing reached Kafka: stop() checks that both topics are empty.
    }

    /** The UTF-8 of {@code json} with every '#' replaced by C0 AF, an overlong '/'. */
    private static byte[] overlong(final String json) {
        final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (final byte b : json.getBytes(StandardCharsets.UTF_8)) {
            if (b == '#') {
                out.write(0xC0);
                out.write(0xAF);
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    @Test
    void shouldAnswer413WhenASingleEventIsLargerThanTheLimit() {
        final Map<String, Object> huge = Reports.with(Reports.incident(), "description", "x".repeat(1_100_000));

        final HttpResponse<String> response = app.postJson("/v1/incidents", huge);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(app.body(response).get("detail").toString()).contains("at most 1048576");
    }

    @Test
    void shouldAnswer415WhenTheContentTypeIsNotJson() {
        for (final String contentType : new String[] {"text/plain", "application/xml", null}) {
            final HttpResponse<String> response = app.post("/v1/seizures", contentType,
                    Json.bytes(Reports.seizure()), IngestApp.AGENCY_KEY);
            assertThat(response.statusCode()).as("Content-Type %s", contentType).isEqualTo(415);
            assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        }
    }

    private static void assertBroken(final String path, final Map<String, Object> report, final String field,
                                     final String rule) {
        final HttpResponse<String> response = app.postJson(path, report);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(errors(response)).as(response.body())
                .anySatisfy(error -> assertThat(error).containsEntry("field", field).containsEntry("rule", rule)
                        .containsKey("message"));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> errors(final HttpResponse<String> response) {
        return (List<Map<String, Object>>) app.body(response).get("errors");
    }
}
