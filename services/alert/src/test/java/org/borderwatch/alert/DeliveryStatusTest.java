package org.borderwatch.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.borderwatch.alert.support.AlertApp;
import org.borderwatch.alert.support.AlertStack;
import org.borderwatch.alert.support.Breaches;
import org.borderwatch.testkit.WebhookReceiver;
import org.borderwatch.avro.Breach;
import org.borderwatch.avro.ThreatType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Test deliveries on demand and the delivery status of a subscription, from the delivery records in Kafka. */
class DeliveryStatusTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    private static AlertStack stack;
    private static AlertApp app;
    private static Breaches breaches;
    private static WebhookReceiver receiver;

    @BeforeAll
    static void start() {
        stack = AlertStack.start(dir);
        app = stack.app();
        breaches = stack.breaches();
        receiver = stack.receiver();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldReachTheReceiverWithAValidSignatureWhenATestDeliveryIsAskedFor() {
        final Map<String, Object> subscription = subscribe(Map.of("channel", "webhook", "url",
                receiver.url("/test-ok"), "threatTypes", List.of("OTHER")));
        final String id = (String) subscription.get("subscriptionId");

        final HttpResponse<String> response = app.post("/v1/subscriptions/" + id + "/test", "", AlertApp.OPS_TJ_KEY);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        final Map<String, Object> outcome = app.body(response);
        assertThat(outcome).containsEntry("delivered", true).containsEntry("result", "delivered")
                .containsEntry("status", 200).containsEntry("error", null);
        assertThat(((Number) outcome.get("latencyMs")).longValue()).isBetween(0L, 5000L);
        assertThat(receiver.received("/test-ok")).singleElement().satisfies(request -> {
            assertThat(request.id()).isEqualTo(outcome.get("webhookId")).startsWith("test_");
            assertThat(WebhookReceiver.verifies(request, (String) subscription.get("secret"))).isTrue();
            assertThat(app.parse(request.body())).containsEntry("type", "test");
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(app.list(app.get("/v1/subscriptions/" + id
                + "/deliveries", AlertApp.OPS_TJ_KEY), "attempts")).singleElement().satisfies(attempt ->
                assertThat(attempt).containsEntry("test", true).containsEntry("result", "delivered")
                        .containsEntry("webhookId", outcome.get("webhookId")).containsEntry("final", true)));
    }

    @Test
    void shouldAnswerWithTheReceiversStatusAndErrorWhenATestDeliveryFails() {
        receiver.script("/test-down", 500);
        final String id = (String) subscribe(Map.of("channel", "webhook", "url", receiver.url("/test-down"),
                "threatTypes", List.of("OTHER"))).get("subscriptionId");
        final String sse = (String) subscribe(Map.of("channel", "sse")).get("subscriptionId");

        final Map<String, Object> outcome = app.body(app.post("/v1/subscriptions/" + id + "/test", "",
                AlertApp.OPS_TJ_KEY));

        assertThat(outcome).containsEntry("delivered", false).containsEntry("result", "failed")
                .containsEntry("status", 500).containsEntry("error", "HTTP 500");
        assertThat(receiver.received("/test-down")).as("a test is never retried").hasSize(1);
        assertThat(app.post("/v1/subscriptions/" + sse + "/test", "", AlertApp.OPS_TJ_KEY).body())
                .contains("webhook-only");
        assertThat(app.post("/v1/subscriptions/" + id + "/test", "", AlertApp.OPS_UZ_KEY).statusCode())
                .isEqualTo(404);
        assertThat(app.get("/v1/subscriptions/" + id + "/deliveries", AlertApp.OPS_UZ_KEY).statusCode())
                .isEqualTo(404);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldShowEveryAttemptWithItsOutcomeWhenDeliveriesFailThenSucceed() {
        // Given an endpoint that answers 503 twice, then 200
        receiver.script("/flaky", 503, 503);
        final String id = (String) subscribe(Map.of("channel", "webhook", "url", receiver.url("/flaky"),
                "threatTypes", List.of("WEAPONS_SMUGGLING"))).get("subscriptionId");
        final Breach firing = Breaches.firing("r-deliveries", "TJ-KT", ThreatType.WEAPONS_SMUGGLING);

        // When an alert is sent to it (first attempt, two retries)
        breaches.send(firing);

        // Then the delivery status names every attempt, newest first
        final String path = "/v1/subscriptions/" + id + "/deliveries";
        await().atMost(WAIT).untilAsserted(() -> assertThat(app.list(app.get(path, AlertApp.OPS_TJ_KEY),
                "attempts")).hasSize(3));
        final Map<String, Object> status = app.body(app.get(path, AlertApp.OPS_TJ_KEY));
        final List<Map<String, Object>> attempts = (List<Map<String, Object>>) status.get("attempts");
        assertThat(attempts).extracting(a -> a.get("attempt"), a -> a.get("result"), a -> a.get("status"),
                a -> a.get("final")).containsExactly(
                org.assertj.core.groups.Tuple.tuple(3, "delivered", 200, true),
                org.assertj.core.groups.Tuple.tuple(2, "failed", 503, false),
                org.assertj.core.groups.Tuple.tuple(1, "failed", 503, false));
        assertThat(attempts).allSatisfy(a -> assertThat(a).containsEntry("alertId", firing.getBreachId())
                .containsEntry("test", false));
        assertThat(attempts.get(1)).containsEntry("error", "HTTP 503");
        assertThat(attempts.get(1).get("nextAttemptAt")).isNotNull();
        assertThat((Map<String, Object>) status.get("summary")).containsEntry("attempts", 3)
                .containsEntry("delivered", 1).containsEntry("failed", 2).containsEntry("consecutiveFailures", 0)
                .containsEntry("givenUp", 0).containsEntry("pendingRetries", 0);
        assertThat(status).containsEntry("enabled", true).containsEntry("disabledReason", null);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldSayTheSubscriptionIsDisabledAndWhyWhenTheEndpointIsGone() {
        receiver.script("/gone", 410);
        final String id = (String) subscribe(Map.of("channel", "webhook", "url", receiver.url("/gone"),
                "threatTypes", List.of("HUMAN_TRAFFICKING"))).get("subscriptionId");

        breaches.send(Breaches.firing("r-gone", "TJ-KT", ThreatType.HUMAN_TRAFFICKING));

        final String path = "/v1/subscriptions/" + id + "/deliveries";
        await().atMost(WAIT).untilAsserted(() -> assertThat(app.body(app.get(path, AlertApp.OPS_TJ_KEY)))
                .containsEntry("enabled", false));
        await().atMost(WAIT).untilAsserted(() -> assertThat(app.list(app.get(path, AlertApp.OPS_TJ_KEY),
                "attempts")).singleElement().satisfies(a -> assertThat(a).containsEntry("result", "gone")
                .containsEntry("status", 410).containsEntry("final", true)));
        final Map<String, Object> status = app.body(app.get(path, AlertApp.OPS_TJ_KEY));
        assertThat((String) status.get("disabledReason")).contains("410 Gone");
        assertThat((Map<String, Object>) status.get("summary")).containsEntry("failed", 1)
                .containsEntry("consecutiveFailures", 1);
    }

    private static Map<String, Object> subscribe(final Map<String, Object> request) {
        final HttpResponse<String> response = app.post("/v1/subscriptions", request, AlertApp.OPS_TJ_KEY);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return app.body(response);
    }
}
