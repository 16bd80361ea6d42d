package org.borderwatch.alert.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.borderwatch.alert.support.AlertApp;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert API reads request bodies strictly and says what is wrong the way ingest does: unknown fields refused,
 * wrong JSON types, invalid JSON and empty bodies answered with {@code errors[]} naming field and rule, never a 5xx
 * (issue 7, items 3, 6 and 7).
 */
class StrictRequestTest {

    @TempDir
    static Path dir;

    private static EmbeddedKafkaCluster kafka;
    private static AlertApp app;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start();
        kafka.createTopics();
        app = AlertApp.start(kafka, dir);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldRefuseEveryUnknownFieldWhenSubscribing() {
        final Map<String, Object> body = new LinkedHashMap<>(Map.of("channel", "sse"));
        body.put("ownerRegions", List.of("*"));
        body.put("secret", "mine");
        body.put("enabled", false);

        final HttpResponse<String> response = app.post("/v1/subscriptions", body, AlertApp.OPS_TJ_KEY);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        assertThat(fieldRules(response)).containsExactlyInAnyOrder("ownerRegions:unknown-field",
                "secret:unknown-field", "enabled:unknown-field");
        assertThat(app.list(app.get("/v1/subscriptions", AlertApp.OPS_TJ_KEY), "subscriptions")).isEmpty();
    }

    @Test
    void shouldRefuseAnUnknownFieldWhenSilencing() {
        final HttpResponse<String> response = app.post("/v1/silences", Map.of("durationMinutes", 60,
                "endsAt", Instant.now().plusSeconds(600).toString()), AlertApp.OPS_TJ_KEY);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        assertThat(fieldRules(response)).containsExactly("durationMinutes:unknown-field");
    }

    @Test
    void shouldNameTheItemWhenAListHoldsNull() {
        final HttpResponse<String> response = app.post("/v1/subscriptions",
                "{\"channel\": \"sse\", \"threatTypes\": [null, 5, \"ALIENS\"]}", AlertApp.OPS_TJ_KEY);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        assertThat(fieldRules(response)).containsExactlyInAnyOrder("threatTypes[0]:required", "threatTypes[1]:type",
                "threatTypes[2]:enum");
    }

    @Test
    void shouldAnswer422WhenAnInstantLiesBeyondFourDigitYears() {
        final HttpResponse<String> response = app.post("/v1/silences",
                Map.of("endsAt", "+999999999-12-31T23:59:59Z"), AlertApp.OPS_TJ_KEY);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        assertThat(fieldRules(response)).containsExactly("endsAt:instant");
    }

    @Test
    void shouldNameFieldAndRuleWhenAJsonTypeIsWrong() {
        final HttpResponse<String> response = app.post("/v1/silences", "{\"regions\": \"TJ-KT\", \"endsAt\": 5,"
                + " \"comment\": {}}", AlertApp.OPS_TJ_KEY);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        assertThat(fieldRules(response)).containsExactlyInAnyOrder("regions:type", "endsAt:type", "comment:type");
        assertThat(app.body(response).get("errors").toString()).doesNotContain("VALUE_STRING", "START_ARRAY");
    }

    @Test
    void shouldAnswer400WithTheRuleWhenTheBodyIsNotJsonOrEmpty() {
        for (final String path : List.of("/v1/subscriptions", "/v1/silences")) {
            assertMalformed(app.post(path, "{\"channel\": ", AlertApp.OPS_TJ_KEY), "malformed-json");
            assertMalformed(app.post(path, "", AlertApp.OPS_TJ_KEY), "empty-body");
            assertMalformed(app.post(path, "{} {}", AlertApp.OPS_TJ_KEY), "malformed-json");
        }
        final HttpResponse<String> array = app.post("/v1/subscriptions", "[]", AlertApp.OPS_TJ_KEY);
        assertThat(array.statusCode()).isEqualTo(422);
        assertThat(fieldRules(array)).containsExactly(":type");
    }

    @Test
    void shouldRefuseAnUnknownFieldOfAnAcknowledgementBeforeLookingTheAlertUp() {
        final HttpResponse<String> response = app.post("/v1/alerts/nope/ack", Map.of("comentary", "typo"),
                AlertApp.OPS_TJ_KEY);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        assertThat(fieldRules(response)).containsExactly("comentary:unknown-field");
    }

    @Test
    void shouldNameTheParameterWhenAQueryParameterDoesNotConvert() {
        final HttpResponse<String> response = app.get("/v1/alerts?limit=99999999999", AlertApp.ANALYST_KEY);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(fieldRules(response)).containsExactly("limit:type");
    }

    private static void assertMalformed(final HttpResponse<String> response, final String rule) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(app.body(response)).containsEntry("type", "urn:borderwatch:problem:malformed-request");
        assertThat(fieldRules(response)).containsExactly(":" + rule);
    }

    private static List<String> fieldRules(final HttpResponse<String> response) {
        return app.list(response, "errors").stream().map(e -> e.get("field") + ":" + e.get("rule")).toList();
    }
}
