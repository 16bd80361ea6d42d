package org.borderwatch.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.borderwatch.alert.support.AlertApp;
import org.borderwatch.alert.support.Breaches;
import org.borderwatch.testkit.WebhookReceiver;
import org.borderwatch.testkit.WebhookReceiver.Received;
import org.borderwatch.avro.Breach;
import org.borderwatch.avro.ThreatType;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signed webhooks: retries with a stable id, 410, redirects, regions, rotation, and the SSRF guard. */
class WebhookTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    private static EmbeddedKafkaCluster kafka;
    private static AlertApp app;
    private static Breaches breaches;
    private static WebhookReceiver receiver;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start();
        kafka.createTopics();
        app = AlertApp.start(kafka, dir);
        breaches = new Breaches(kafka.bootstrapServers());
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stop() {
        if (receiver != null) {
            receiver.close();
        }
        if (breaches != null) {
            breaches.close();
        }
        if (app != null) {
            app.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldDeliverWithTheSameSignedIdWhenTheEndpointFailsTimesOutAndRecovers() {
        receiver.script("/flaky", 500, WebhookReceiver.SLOW, 503);
        final Map<String, Object> subscription = subscribe(AlertApp.OPS_TJ_KEY, Map.of("channel", "webhook",
                "url", receiver.url("/flaky"), "threatTypes", List.of("WEAPONS_SMUGGLING")));
        final String secret = (String) subscription.get("secret");
        assertThat(secret).startsWith("whsec_");
        assertThat(java.util.Base64.getDecoder().decode(secret.substring(6))).hasSizeGreaterThanOrEqualTo(24);
        final Breach breach = Breaches.firing("r-flaky", "TJ-KT", ThreatType.WEAPONS_SMUGGLING);

        breaches.send(breach);

        await().atMost(WAIT).until(() -> receiver.received("/flaky").size() == 4);
        final List<Received> attempts = receiver.received("/flaky");
        assertThat(attempts).extracting(Received::id).containsOnly(attempts.get(0).id());
        assertThat(attempts).allSatisfy(attempt -> assertThat(WebhookReceiver.verifies(attempt, secret)).isTrue());
        assertThat(attempts).extracting(Received::contentType).containsOnly("application/json");
        final Map<String, Object> body = app.parse(attempts.get(3).body());
        assertThat(body).containsEntry("type", "alert.fired");
        assertThat(body.get("data")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("alertId", breach.getBreachId());
        await().atMost(WAIT).untilAsserted(() -> assertThat(app.get("/prometheus", null).body())
                .containsPattern("borderwatch_alert_webhook_attempts_total\\{result=\"failed\"} [3-9]")
                .containsPattern("borderwatch_alert_webhook_delivered_total [1-9]"));
        // A different change of the same alert is a different webhook-id
        breaches.send(Breaches.resolved(breach, 2));
        await().atMost(WAIT).until(() -> receiver.received("/flaky").size() == 5);
        assertThat(receiver.received("/flaky").get(4).id()).isNotEqualTo(attempts.get(0).id());
    }

    @Test
    void shouldDisableTheSubscriptionWhenTheEndpointAnswers410() {
        receiver.script("/gone", 410);
        final String id = (String) subscribe(AlertApp.OPS_TJ_KEY, Map.of("channel", "webhook",
                "url", receiver.url("/gone"), "threatTypes", List.of("OTHER"))).get("subscriptionId");

        breaches.send(Breaches.firing("r-gone", "TJ-KT", ThreatType.OTHER));

        await().atMost(WAIT).untilAsserted(() -> assertThat(app.body(app.get("/v1/subscriptions/" + id,
                AlertApp.OPS_TJ_KEY))).containsEntry("enabled", false));
        breaches.send(Breaches.firing("r-gone-2", "TJ-KT", ThreatType.OTHER));
        await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> receiver.received("/gone").size() == 1);
    }

    @Test
    void shouldNotFollowARedirectWhenTheEndpointAnswers302() {
        receiver.script("/moved", 302, 302, 302, 302);
        subscribe(AlertApp.OPS_TJ_KEY, Map.of("channel", "webhook", "url", receiver.url("/moved"),
                "threatTypes", List.of("GOODS_SMUGGLING")));

        breaches.send(Breaches.firing("r-moved", "TJ-KT", ThreatType.GOODS_SMUGGLING));

        // every attempt counts as failed and is retried; none goes to the Location
        await().atMost(WAIT).until(() -> receiver.received("/moved").size() == 4);
        assertThat(receiver.received("/redirect-target")).isEmpty();
        await().atMost(WAIT).untilAsserted(() -> assertThat(app.get("/prometheus", null).body()).containsPattern(
                "borderwatch_alert_webhook_final_failures_total\\{reason=\"retries-exhausted\"} [1-9]"));
    }

    @Test
    void shouldDeliverOnlyAlertsInTheOwnersRegionsWhenTheSubscriptionHasNoRegionFilter() {
        subscribe(AlertApp.OPS_UZ_KEY, Map.of("channel", "webhook", "url", receiver.url("/uz"),
                "threatTypes", List.of("HUMAN_TRAFFICKING"), "format", "cloudevents"));

        breaches.send(Breaches.firing("r-owner", "TJ-KT", ThreatType.HUMAN_TRAFFICKING),
                Breaches.firing("r-owner", "UZ-SU", ThreatType.HUMAN_TRAFFICKING));

        await().atMost(WAIT).until(() -> receiver.received("/uz").size() == 1);
        final Received only = receiver.received("/uz").get(0);
        assertThat(only.contentType()).isEqualTo("application/cloudevents+json");
        assertThat(app.parse(only.body())).containsEntry("subject", "r-owner|UZ-SU|HUMAN_TRAFFICKING")
                .containsEntry("id", only.id());
        await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> receiver.received("/uz").size() == 1);
    }

    @Test
    void shouldRefuseRegionsOutsideTheCredentialAndBadFieldsWhenSubscribing() {
        final HttpResponse<String> response = app.post("/v1/subscriptions", Map.of("channel", "webhook",
                "url", "http://169.254.169.254/latest/meta-data", "regions", List.of("TJ-*"),
                "format", "xml"), AlertApp.OPS_UZ_KEY);

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(app.list(response, "errors")).extracting(e -> e.get("rule"))
                .containsExactlyInAnyOrder("outside-credential-regions", "enum", "ssrf-guard");
        assertThat(app.post("/v1/subscriptions", Map.of("channel", "webhook", "url", receiver.url("/x")),
                AlertApp.ANALYST_KEY).statusCode()).isEqualTo(403);
    }

    @Test
    void shouldSignWithBothSecretsWhenTheSecretWasRotated() {
        final Map<String, Object> created = subscribe(AlertApp.OPS_TJ_KEY, Map.of("channel", "webhook",
                "url", receiver.url("/rotated"), "threatTypes", List.of("ILLEGAL_CROSSING")));
        final String id = (String) created.get("subscriptionId");
        final HttpResponse<String> rotated = app.post("/v1/subscriptions/" + id + "/rotate-secret", Map.of(),
                AlertApp.OPS_TJ_KEY);
        assertThat(rotated.statusCode()).isEqualTo(200);
        final String newSecret = (String) app.body(rotated).get("secret");

        breaches.send(Breaches.firing("r-rotated", "TJ-KT", ThreatType.ILLEGAL_CROSSING));

        await().atMost(WAIT).until(() -> receiver.received("/rotated").size() == 1);
        final Received request = receiver.received("/rotated").get(0);
        assertThat(request.signature().split(" ")).hasSize(2);
        assertThat(WebhookReceiver.verifies(request, newSecret)).isTrue();
        assertThat(WebhookReceiver.verifies(request, (String) created.get("secret"))).isTrue();
        assertThat(app.get("/v1/subscriptions/" + id, AlertApp.OPS_TJ_KEY).body()).doesNotContain("whsec_");
        assertThat(app.get("/v1/subscriptions/" + id, AlertApp.OPS_UZ_KEY).statusCode()).isEqualTo(404);
    }

    @Test
    void shouldRefuseALoopbackUrlWhenTheAllowanceIsOff() {
        final Map<String, Object> properties = new java.util.HashMap<>(AlertApp.freshProperties(kafka, dir));
        properties.put("borderwatch.alert.webhooks.allow-loopback", false);
        try (AlertApp strict = AlertApp.start(properties)) {
            final HttpResponse<String> response = strict.post("/v1/subscriptions", Map.of("channel", "webhook",
                    "url", receiver.url("/loopback")), AlertApp.OPS_TJ_KEY);

            assertThat(response.statusCode()).isEqualTo(422);
            assertThat(app.list(response, "errors")).singleElement().satisfies(error -> {
                assertThat(error).containsEntry("field", "url").containsEntry("rule", "ssrf-guard");
                assertThat((String) error.get("message")).contains("loopback");
            });
        }
    }

    private static Map<String, Object> subscribe(final String key, final Map<String, Object> request) {
        final HttpResponse<String> response = app.post("/v1/subscriptions", request, key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return app.body(response);
    }
}
