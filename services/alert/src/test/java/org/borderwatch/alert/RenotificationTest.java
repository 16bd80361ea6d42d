package org.borderwatch.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.borderwatch.alert.support.AlertApp;
import org.borderwatch.alert.support.Breaches;
import org.borderwatch.testkit.SseClient;
import org.borderwatch.testkit.WebhookReceiver;
import org.borderwatch.avro.Breach;
import org.borderwatch.avro.ThreatType;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-notification end to end, with two alert instances sharing one deployment (one lifecycle application id, one
 * webhook group), one of which stops half-way: a firing, unacknowledged alert is sent again to the subscription with
 * a repeat interval, once per interval, never to the one without, and no more after the acknowledgement.
 */
class RenotificationTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration INTERVAL = Duration.ofSeconds(2);

    @TempDir
    static Path dir;

    private static EmbeddedKafkaCluster kafka;
    private static AlertApp first;
    private static AlertApp second;
    private static Breaches breaches;
    private static WebhookReceiver receiver;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start();
        kafka.createTopics();
        final Map<String, Object> properties = AlertApp.freshProperties(kafka, dir);
        properties.put("borderwatch.alert.renotify-check", "200ms");
        properties.put("borderwatch.alert.min-repeat-interval", "1s");
        first = AlertApp.start(properties);
        // The same deployment, with its own state directory as a second machine would have.
        final Map<String, Object> other = new HashMap<>(properties);
        other.put("kafka.streams.state.dir", dir.resolve("streams-second").toString());
        second = AlertApp.start(other);
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
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldRenotifyOncePerIntervalUntilAcknowledgedWhenTwoInstancesRunAndOneStops() {
        final Map<String, Object> repeating = subscribe(Map.of("channel", "webhook", "url",
                receiver.url("/repeating"), "threatTypes", List.of("ARMED_INCURSION"), "repeatInterval", "PT2S"));
        subscribe(Map.of("channel", "webhook", "url", receiver.url("/once"), "threatTypes",
                List.of("ARMED_INCURSION")));
        final String sseSubscription = (String) subscribe(Map.of("channel", "sse", "threatTypes",
                List.of("ARMED_INCURSION"), "repeatInterval", "PT2S")).get("subscriptionId");
        assertThat(repeating).containsEntry("repeatInterval", "PT2S");
        final Breach firing = Breaches.firing("r-renotify", "TJ-KT", ThreatType.ARMED_INCURSION);
        final String path = "/v1/alerts/" + AlertApp.encode(firing.getBreachId());
        try (SseClient subscribed = SseClient.open(second.uri("/v1/alerts/stream?subscription=" + sseSubscription),
                AlertApp.OPS_TJ_KEY, null);
             SseClient board = SseClient.open(second.uri("/v1/alerts/stream?threatType=ARMED_INCURSION"),
                     AlertApp.OPS_TJ_KEY, null)) {
            await().atMost(WAIT).until(() -> !subscribed.comments().isEmpty() && !board.comments().isEmpty());
            breaches.send(firing);
            renotifyUntilAcknowledged(path, (String) repeating.get("subscriptionId"));

            // The SSE subscription with an interval got re-notifications too; the plain stream (the board) none
            await().atMost(WAIT).untilAsserted(() -> assertThat(subscribed.events()).extracting(e -> second.parse(
                    e.data()).get("type")).contains("alert.renotified").endsWith("alert.acknowledged"));
            assertThat(board.events()).extracting(e -> second.parse(e.data()).get("type"))
                    .containsExactly("alert.fired", "alert.acknowledged");
        }
    }

    private void renotifyUntilAcknowledged(final String path, final String repeatingId) {
        await().atMost(WAIT).until(() -> renotifications(second, path).size() >= 2);
        first.close(); // its tasks, if it had them, move to the second instance with their clocks
        first = null;
        await().atMost(WAIT).until(() -> renotifications(second, path).size() >= 4);
        final HttpResponse<String> ack = second.post(path + "/ack", Map.of("comment", "seen"), AlertApp.OPS_TJ_KEY);
        assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
        final int atAck = renotifications(second, path).size();

        // Then nothing more is sent again after the acknowledgement (three intervals of watching)
        await().during(INTERVAL.multipliedBy(3)).atMost(INTERVAL.multipliedBy(4))
                .until(() -> renotifications(second, path).size() == atAck);
        final List<Map<String, Object>> sentAgain = renotifications(second, path);
        assertThat(sentAgain).allSatisfy(change -> assertThat(String.valueOf(change.get("renotified")))
                .contains(repeatingId));
        // one per interval: consecutive re-notifications lie at least the interval apart, whichever instance wrote
        for (int i = 1; i < sentAgain.size(); i++) {
            final Instant previous = Instant.parse((String) sentAgain.get(i - 1).get("updatedAt"));
            final Instant next = Instant.parse((String) sentAgain.get(i).get("updatedAt"));
            assertThat(Duration.between(previous, next)).as("gap before re-notification %d", i)
                    .isGreaterThanOrEqualTo(INTERVAL);
        }
        // and each reached the repeating webhook once more, with its own webhook-id; the other got the firing only
        await().atMost(WAIT).until(() -> receiver.received("/repeating").size() == 1 + sentAgain.size() + 1);
        assertThat(receiver.received("/repeating")).extracting(WebhookReceiver.Received::id).doesNotHaveDuplicates();
        assertThat(receiver.received("/repeating")).extracting(r -> second.parse(r.body()).get("type"))
                .startsWith("alert.fired").endsWith("alert.acknowledged")
                .filteredOn("alert.renotified"::equals).hasSize(sentAgain.size());
        assertThat(receiver.received("/once")).extracting(r -> second.parse(r.body()).get("type"))
                .containsExactly("alert.fired", "alert.acknowledged");
    }

    private static List<Map<String, Object>> renotifications(final AlertApp app, final String path) {
        final HttpResponse<String> response = app.get(path, AlertApp.OPS_TJ_KEY);
        if (response.statusCode() != 200) {
            return List.of();
        }
        return app.list(response, "history").stream().filter(change -> "RENOTIFICATION".equals(change.get("kind")))
                .toList();
    }

    private static Map<String, Object> subscribe(final Map<String, Object> request) {
        final HttpResponse<String> response = second.post("/v1/subscriptions", request, AlertApp.OPS_TJ_KEY);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return second.body(response);
    }
}
