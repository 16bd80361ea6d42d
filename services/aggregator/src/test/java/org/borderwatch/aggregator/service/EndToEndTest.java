package org.borderwatch.aggregator.service;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.borderwatch.avro.Breach;
import org.borderwatch.avro.ThreatAggregate;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.borderwatch.schemas.AvroMaps;
import org.borderwatch.schemas.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path on a real broker: agencies publish through the ingest API, the aggregator (exactly-once) counts,
 * answers interactive queries, writes aggregates and breaches, and manages and backtests rules. One aggregator with
 * the default rule set on; each test uses its own regions, so the tests do not depend on each other's data.
 */
class EndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    private static EmbeddedKafkaCluster kafka;
    private static IngestApp ingest;
    private static AggregatorApp aggregator;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start();
        kafka.createTopics();
        final Path credentials = Credentials.write(dir);
        ingest = IngestApp.start(kafka, credentials);
        aggregator = AggregatorApp.start(kafka, credentials, dir.resolve("state"), Map.of(
                "borderwatch.aggregator.application-id", AggregatorApp.uniqueApplicationId("e2e"),
                "borderwatch.aggregator.default-rules.enabled", true));
        await().atMost(WAIT).until(() -> aggregator.http.get("/health", null).statusCode() == 200);
    }

    @AfterAll
    static void stop() {
        // The services first: their clients would otherwise wait out their timeouts against a stopped broker.
        if (aggregator != null) {
            aggregator.close();
        }
        if (ingest != null) {
            ingest.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldServeAggregatesWhenReportsArePublishedThroughIngest() {
        // Given two crossings (one sent twice, as a retrying agency does) and a seizure in Khatlon
        final Instant occurredAt = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        final Map<String, Object> first = incident("TJ-KT", "ILLEGAL_CROSSING", occurredAt, "HIGH", "PROBABLE");
        publish("/v1/incidents", first);
        publish("/v1/incidents", first);
        publish("/v1/incidents", incident("TJ-KT", "ILLEGAL_CROSSING", occurredAt, "MEDIUM", "CONFIRMED"));
        publish("/v1/seizures", seizure("TJ-KT", occurredAt, 12.5));
        final Instant hour = occurredAt.truncatedTo(ChronoUnit.HOURS);
        final String query = "/v1/aggregates?region=TJ-KT&window=PT1H&from=" + hour + "&to=" + hour.plusSeconds(3600);

        // Then the hour's windows are queryable, the retry counted once: score 7 x 0.7 + 3 x 1.0
        await().atMost(WAIT).untilAsserted(() -> assertThat(aggregator.http.list(
                aggregator.http.get(query, Credentials.ANALYST_KEY), "aggregates"))
                .extracting(a -> a.get("threatType"), a -> a.get("eventCount"), a -> a.get("severityScore"),
                        a -> a.get("seizureKg"), a -> a.get("maxSeverity"), a -> a.get("windowStart"))
                .containsExactlyInAnyOrder(
                        tuple("ILLEGAL_CROSSING", 2, 7.0 * 0.7 + 3.0, 0.0, "HIGH", hour.toString()),
                        tuple("DRUG_TRAFFICKING", 1, 7.0 * 0.7, 12.5, "HIGH", hour.toString())));

        // And each is exactly the latest record of its key on border.threat-aggregates.v1
        final List<Map<String, Object>> served = aggregator.http.list(
                aggregator.http.get(query, Credentials.ANALYST_KEY), "aggregates");
        await().atMost(WAIT).untilAsserted(() -> {
            final Map<String, Map<String, Object>> onTopic = new LinkedHashMap<>();
            for (final ConsumerRecord<String, ThreatAggregate> record
                    : KafkaIo.readAll(kafka.bootstrapServers(), Topics.THREAT_AGGREGATES)) {
                onTopic.put(record.key(), normalized(AvroMaps.toMap(record.value())));
            }
            for (final Map<String, Object> aggregate : served) {
                assertThat(onTopic.get("TJ-KT|" + aggregate.get("threatType") + "|PT1H|" + hour))
                        .isEqualTo(normalized(aggregate));
            }
        });

        // And the country roll-up and the duplicate metric followed
        await().atMost(WAIT).untilAsserted(() -> assertThat(aggregator.http.list(aggregator.http.get(
                "/v1/aggregates?region=TJ&threatType=ILLEGAL_CROSSING&window=PT1H&from=" + hour + "&to="
                        + hour.plusSeconds(3600), Credentials.ANALYST_KEY), "aggregates"))
                .extracting(a -> a.get("region"), a -> a.get("eventCount")).containsExactly(tuple("TJ", 2)));
        assertThat(aggregator.http.get("/prometheus", null).body())
                .containsPattern("borderwatch_aggregator_duplicate_events_total [1-9]")
                .contains("borderwatch_aggregator_late_events_total", "borderwatch_aggregator_streams_running 1.0");
    }

    @Test
    void shouldFireAndEscalateDefaultRuleOnBreachesTopicWhenSeizuresCrossItsThresholds() {
        // Given the default rule set, published at start: uz-drug-seizures fires at 100 kg in 24 h, CRITICAL at 500
        await().atMost(WAIT).untilAsserted(() -> assertThat(aggregator.http.list(
                aggregator.http.get("/v1/rules", Credentials.ADMIN_KEY), "rules"))
                .extracting(rule -> rule.get("ruleId")).containsAll(List.of("af-severity", "kg-illegal-crossings",
                        "tj-armed-incursion", "tj-country-activity", "uz-drug-seizures")));

        // When Surxondaryo reports 120 kg, then 400 kg more
        final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        publish("/v1/seizures", seizure("UZ-SU", now.minusSeconds(2), 120));
        await().atMost(WAIT).until(() -> breaches("uz-drug-seizures|UZ-SU|DRUG_TRAFFICKING").size() == 1);
        publish("/v1/seizures", seizure("UZ-SU", now.minusSeconds(1), 400));

        // Then one FIRING and one ESCALATED, with the tier, the level and the reason
        await().atMost(WAIT).untilAsserted(() -> assertThat(breaches("uz-drug-seizures|UZ-SU|DRUG_TRAFFICKING"))
                .extracting(Breach::getStatus, Breach::getSeverity, Breach::getObservedValue, Breach::getThreshold,
                        Breach::getWindow, Breach::getEscalationLevel, Breach::getReason, Breach::getVersion)
                .containsExactly(
                        tuple(org.borderwatch.avro.BreachStatus.FIRING, org.borderwatch.avro.Severity.HIGH, 120.0,
                                100.0, "PT24H", 0, "SEIZURE_KG reached 120, threshold 100", 1L),
                        tuple(org.borderwatch.avro.BreachStatus.ESCALATED, org.borderwatch.avro.Severity.CRITICAL,
                                520.0, 500.0, "PT24H", 1, "SEIZURE_KG rose to 520, past escalation tier 1"
                                        + " (threshold 500)", 2L)));
    }

    @Test
    void shouldRankRegionsOnlyAmongTheCallersRegionsWhenTopIsQueried() {
        final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        publish("/v1/seizures", seizure("UZ-TO", now.minusSeconds(3), 60));
        publish("/v1/seizures", seizure("TJ-GB", now.minusSeconds(3), 30));
        publish("/v1/seizures", seizure("TJ-GB", now.minusSeconds(2), 5));
        final String top = "/v1/aggregates/top?metric=SEIZURE_KG&window=PT24H&threatType=DRUG_TRAFFICKING&limit=50";

        await().atMost(WAIT).untilAsserted(() -> assertThat(aggregator.http.list(
                aggregator.http.get(top, Credentials.ANALYST_KEY), "entries"))
                .extracting(e -> e.get("region"), e -> e.get("value"))
                .containsSubsequence(tuple("UZ-TO", 60.0), tuple("TJ-GB", 35.0)));
        final Map<String, Object> answer = aggregator.http.map(aggregator.http.get(top, Credentials.ANALYST_KEY));
        assertThat(answer.get("partitions")).isEqualTo(List.of(0, 1, 2, 3, 4, 5));

        // A Tajik operations center sees Tajik regions only; a one-region analyst cannot see the country total
        assertThat(aggregator.http.list(aggregator.http.get(top, Credentials.TJ_OPS_KEY), "entries"))
                .extracting(e -> (String) e.get("region")).isNotEmpty().allMatch(region -> region.startsWith("TJ-"));
        assertThat(aggregator.http.get("/v1/aggregates?region=UZ-TO", Credentials.TJ_OPS_KEY).statusCode())
                .isEqualTo(403);
        assertThat(aggregator.http.get("/v1/aggregates?region=TJ", Credentials.TJ_OPS_KEY).statusCode())
                .isEqualTo(200);
        final HttpResponse<String> country = aggregator.http.get("/v1/aggregates?region=TJ",
                Credentials.KT_ANALYST_KEY);
        assertThat(country.statusCode()).isEqualTo(403);
        assertThat(aggregator.http.map(country).get("errors")).isEqualTo(List.of(Map.of("field", "region",
                "rule", "region-not-allowed", "message", "not among the credential's regions [TJ-KT]")));
        assertThat(aggregator.http.get("/v1/aggregates?region=TJ-KT", Credentials.AGENCY_KEY).statusCode())
                .as("agencies publish, they do not query").isEqualTo(403);
    }

    @Test
    void shouldNameEveryBrokenParameterWhenQueryIsInvalid() {
        final HttpResponse<String> response = aggregator.http.get("/v1/aggregates?region=tj-kt&window=PT2H"
                + "&threatType=SMUGGLING&from=yesterday", Credentials.ANALYST_KEY);

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(aggregator.http.list(response, "errors")).extracting(e -> e.get("field"), e -> e.get("rule"))
                .containsExactlyInAnyOrder(tuple("region", "not-a-region-code"),
                        tuple("threatType", "unknown-threat-type"), tuple("window", "window-not-configured"),
                        tuple("from", "not-an-instant"));
    }

    @Test
    void shouldCreateReadUpdateDisableAndDeleteRulesWhenAdmin() {
        final Map<String, Object> rule = new LinkedHashMap<>(Map.of("ruleId", "e2e-crossings",
                "name", "Crossings in Batken", "region", "KG-B", "threatType", "ILLEGAL_CROSSING",
                "window", "PT24H", "metric", "EVENT_COUNT", "threshold", 10, "resolveThreshold", 5,
                "severity", "MEDIUM"));
        rule.put("escalations", List.of(Map.of("threshold", 20, "severity", "HIGH")));

        // Only admins manage rules
        assertThat(aggregator.http.post("/v1/rules", Credentials.AGENCY_KEY, rule).statusCode()).isEqualTo(403);
        assertThat(aggregator.http.get("/v1/rules", Credentials.ANALYST_KEY).statusCode()).isEqualTo(403);
        assertThat(aggregator.http.post("/v1/rules", null, rule).statusCode()).isEqualTo(401);

        // Create, then read back
        final HttpResponse<String> created = aggregator.http.post("/v1/rules", Credentials.ADMIN_KEY, rule);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).contains("/v1/rules/e2e-crossings");
        final Map<String, Object> stored = aggregator.http.map(aggregator.http.get("/v1/rules/e2e-crossings",
                Credentials.ADMIN_KEY));
        assertThat(stored).isEqualTo(Map.ofEntries(Map.entry("ruleId", "e2e-crossings"),
                Map.entry("name", "Crossings in Batken"), Map.entry("region", "KG-B"),
                Map.entry("threatType", "ILLEGAL_CROSSING"), Map.entry("window", "PT24H"),
                Map.entry("metric", "EVENT_COUNT"), Map.entry("threshold", 10.0), Map.entry("resolveThreshold", 5.0),
                Map.entry("severity", "MEDIUM"),
                Map.entry("escalations", List.of(Map.of("threshold", 20.0, "severity", "HIGH"))),
                Map.entry("enabled", true)));
        assertThat(aggregator.http.post("/v1/rules", Credentials.ADMIN_KEY, rule).statusCode())
                .as("a second create of the same id").isEqualTo(409);

        // Update, disable, delete: each visible at once
        rule.put("threshold", 12);
        assertThat(aggregator.http.put("/v1/rules/e2e-crossings", Credentials.ADMIN_KEY, rule).statusCode())
                .isEqualTo(200);
        assertThat(aggregator.http.map(aggregator.http.get("/v1/rules/e2e-crossings", Credentials.ADMIN_KEY)))
                .containsEntry("threshold", 12.0);
        assertThat(aggregator.http.map(aggregator.http.post("/v1/rules/e2e-crossings/disable",
                Credentials.ADMIN_KEY, "")))
                .containsEntry("enabled", false);
        assertThat(aggregator.http.delete("/v1/rules/e2e-crossings", Credentials.ADMIN_KEY).statusCode())
                .isEqualTo(204);
        assertThat(aggregator.http.get("/v1/rules/e2e-crossings", Credentials.ADMIN_KEY).statusCode())
                .isEqualTo(404);
        assertThat(aggregator.http.put("/v1/rules/e2e-crossings", Credentials.ADMIN_KEY, rule).statusCode())
                .isEqualTo(404);

        // And the topic holds the history, ending with the tombstone
        assertThat(KafkaIo.readAll(kafka.bootstrapServers(), Topics.ALERT_RULES).stream()
                .filter(record -> record.key().equals("e2e-crossings")).toList())
                .extracting(record -> record.value() == null ? null : record.value().getEnabled())
                .containsExactly(true, true, false, null);
    }

    @Test
    void shouldNameEveryFieldAndRuleWhenRuleIsInvalid() {
        final Map<String, Object> invalid = Map.of("ruleId", "Bad Id", "region", "Tajikistan",
                "window", "PT2H", "metric", "EVENTS", "threshold", -1, "severity", "HIGH",
                "escalations", List.of(Map.of("threshold", -5, "severity", "URGENT")));

        final HttpResponse<String> response = aggregator.http.post("/v1/rules", Credentials.ADMIN_KEY, invalid);

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(aggregator.http.list(response, "errors")).extracting(e -> e.get("field"), e -> e.get("rule"))
                .containsExactlyInAnyOrder(tuple("ruleId", "pattern"), tuple("name", "required"),
                        tuple("region", "pattern"), tuple("window", "window-not-configured"),
                        tuple("metric", "unknown-value"), tuple("threshold", "not-positive"),
                        tuple("resolveThreshold", "negative"),
                        tuple("escalations[0].threshold", "not-above-threshold"),
                        tuple("escalations[0].severity", "unknown-value"));
    }

    @Test
    void shouldReportWhenRuleWouldHaveFiredAndResolvedWhenBacktested() {
        // Given three armed incursions in Badakhshan two days ago, within twenty minutes
        final Instant day = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS);
        for (final int minute : new int[] {10, 20, 30}) {
            publish("/v1/incidents", incident("AF-BDS", "ARMED_INCURSION", day.plus(Duration.ofMinutes(600 + minute)),
                    "HIGH", "CONFIRMED"));
        }
        final Map<String, Object> rule = Map.of("ruleId", "bds-incursions", "name", "Incursions in Badakhshan",
                "region", "AF-BDS", "threatType", "ARMED_INCURSION", "window", "PT1H", "metric", "EVENT_COUNT",
                "threshold", 2, "resolveThreshold", 1, "severity", "HIGH");

        // When an analyst backtests the rule
        final HttpResponse<String> response = aggregator.http.post("/v1/rules/backtest?from=" + day,
                Credentials.ANALYST_KEY, rule);

        // Then it would have fired at the second report and resolved when the hour ended
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        final Map<String, Object> answer = aggregator.http.map(response);
        assertThat(answer).containsEntry("reportsMatched", 3).containsEntry("fired", 1).containsEntry("resolved", 1);
        assertThat(aggregator.http.list(response, "changes"))
                .extracting(c -> c.get("breachId"), c -> c.get("status"), c -> c.get("updatedAt"),
                        c -> c.get("observedValue"))
                .containsExactly(
                        tuple("bds-incursions|AF-BDS|ARMED_INCURSION", "FIRING",
                                day.plus(Duration.ofMinutes(620)).toString(), 2.0),
                        tuple("bds-incursions|AF-BDS|ARMED_INCURSION", "RESOLVED",
                                day.plus(Duration.ofHours(11)).toString(), 0.0));

        // And a stored rule is backtested by id; operations centers may not backtest
        assertThat(aggregator.http.post("/v1/rules", Credentials.ADMIN_KEY, rule).statusCode()).isEqualTo(201);
        assertThat(aggregator.http.map(aggregator.http.post("/v1/rules/backtest?ruleId=bds-incursions&from=" + day,
                Credentials.ADMIN_KEY, "")))
                .containsEntry("fired", 1);
        assertThat(aggregator.http.post("/v1/rules/backtest", Credentials.TJ_OPS_KEY, rule).statusCode())
                .isEqualTo(403);
    }

    @Test
    void shouldSendUndecodableBytesToDeadLetterTopicAndKeepCountingWhenIncidentsTopicHasPoison() {
        final byte[] poison = "not avro".getBytes(UTF_8);
        KafkaIo.produceRaw(kafka.bootstrapServers(), Topics.INCIDENTS.name(), "TM-LE", poison);

        await().atMost(WAIT).untilAsserted(() -> assertThat(KafkaIo.readAll(kafka.bootstrapServers(),
                Topics.DEADLETTER.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer()))
                .anySatisfy(record -> {
                    assertThat(record.value()).isEqualTo(poison);
                    assertThat(new String(record.headers().lastHeader("__streams.errors.topic").value(), UTF_8))
                            .isEqualTo(Topics.INCIDENTS.name());
                }));
        assertThat(aggregator.state()).isEqualTo(org.apache.kafka.streams.KafkaStreams.State.RUNNING);
    }

    @Test
    void shouldReportStreamsAndKafkaUpWhenRunning() {
        final Map<String, Object> health = aggregator.http.map(aggregator.http.get("/health", null));

        assertThat(health).containsEntry("status", "UP");
        assertThat(health.get("details").toString()).contains("kafka-streams", "RUNNING", "nodes=1");
    }

    private static List<Breach> breaches(final String breachId) {
        return KafkaIo.readAll(kafka.bootstrapServers(), Topics.BREACHES).stream()
                .filter(record -> record.key().equals(breachId)).map(ConsumerRecord::value).toList();
    }

    private static void publish(final String path, final Map<String, Object> report) {
        final HttpResponse<String> response = ingest.http.post(path, Credentials.ADMIN_KEY, report);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    /** JSON numbers come back as Integer or Double; the topic's figures as Long or Double. */
    private static Map<String, Object> normalized(final Map<String, Object> aggregate) {
        final Map<String, Object> copy = new LinkedHashMap<>();
        aggregate.forEach((key, value) -> copy.put(key, value instanceof Number number && !(value instanceof Double)
                ? Long.valueOf(number.longValue()) : value));
        return copy;
    }

    private static Map<String, Object> incident(final String region, final String threatType,
                                                final Instant occurredAt, final String severity,
                                                final String confidence) {
        final Map<String, Object> report = common(region, occurredAt, severity, confidence);
        report.put("threatType", threatType);
        report.put("detectedBy", "PATROL");
        return report;
    }

    private static Map<String, Object> seizure(final String region, final Instant occurredAt, final double kg) {
        final Map<String, Object> report = common(region, occurredAt, "HIGH", "PROBABLE");
        report.put("drugType", "HEROIN");
        report.put("quantityKg", kg);
        return report;
    }

    private static Map<String, Object> common(final String region, final Instant occurredAt, final String severity,
                                              final String confidence) {
        final Map<String, Object> report = new LinkedHashMap<>();
        report.put("eventId", UUID.randomUUID().toString());
        report.put("agencyId", Credentials.AGENCY);
        report.put("occurredAt", occurredAt.toString());
        report.put("region", region);
        report.put("severity", severity);
        report.put("confidence", confidence);
        return report;
    }
}
