package org.borderwatch.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.borderwatch.alert.delivery.webhook.Deliveries;
import org.borderwatch.alert.support.AlertApp;
import org.borderwatch.alert.support.Breaches;
import org.borderwatch.testkit.WebhookReceiver;
import org.borderwatch.testkit.WebhookReceiver.Received;
import org.borderwatch.avro.ThreatType;
import org.borderwatch.avro.WebhookDelivery;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.borderwatch.schemas.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pending webhook retries and subscriptions live in Kafka: a restarted service resumes them, with exactly one retry
 * chain per notification, a success ending it, and a new group re-sending nothing (issue 7, items 4 and 5).
 */
class WebhookRestartTest {

    @TempDir
    Path dir;

    @Test
    void shouldResumeAPendingRetryOnceAndStopAtTheSuccessWhenTheServiceRestartedBetweenAttempts() {
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start();
             Breaches breaches = new Breaches(kafka.bootstrapServers());
             WebhookReceiver receiver = new WebhookReceiver()) {
            kafka.createTopics();
            final Map<String, Object> properties = new HashMap<>(AlertApp.freshProperties(kafka, dir));
            // The second retry waits long enough to be still pending while the service is down.
            properties.put("borderwatch.alert.webhooks.retry-delays", "100ms,4s,4s,4s");
            properties.put("borderwatch.alert.webhooks.retry-jitter", 0);
            AlertApp app = AlertApp.start(properties);
            try {
                receiver.script("/durable", 500, 500);
                final Map<String, Object> subscription = app.body(app.post("/v1/subscriptions", Map.of(
                        "channel", "webhook", "url", receiver.url("/durable"), "format", "cap"),
                        AlertApp.OPS_TJ_KEY));
                breaches.send(Breaches.firing("r-durable", "TJ-KT", ThreatType.ARMED_INCURSION));
                await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received("/durable").size() == 2);

                app.close();
                app = AlertApp.start(properties);

                // Then the third attempt (answered 200) is the last: the second attempt's retry record, read again
                // after the restart, is superseded by the third's, and the success ends the chain.
                await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received("/durable").size() >= 3);
                await().during(Duration.ofSeconds(9)).atMost(Duration.ofSeconds(20))
                        .until(() -> receiver.received("/durable").size() == 3);
                final List<Received> attempts = receiver.received("/durable");
                assertThat(attempts).extracting(Received::id).containsOnly(attempts.get(0).id());
                assertThat(attempts).allSatisfy(attempt -> assertThat(WebhookReceiver.verifies(attempt,
                        (String) subscription.get("secret"))).isTrue());
                assertThat(attempts.get(0).contentType()).isEqualTo("application/xml");
                assertThat(attempts.get(0).body()).contains("urn:oasis:names:tc:emergency:cap:1.2");
            } finally {
                app.close();
            }
        }
    }

    @Test
    void shouldSendNothingAgainWhenAnInstanceStartsWithANewWebhooksGroupId() {
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start();
             Breaches breaches = new Breaches(kafka.bootstrapServers());
             WebhookReceiver receiver = new WebhookReceiver()) {
            kafka.createTopics();
            final Map<String, Object> properties = AlertApp.freshProperties(kafka, dir);
            // Given: one alert change delivered on its second attempt, so the retry topic holds its retry
            try (AlertApp first = AlertApp.start(properties)) {
                receiver.script("/once", 500);
                first.post("/v1/subscriptions", Map.of("channel", "webhook", "url", receiver.url("/once")),
                        AlertApp.OPS_TJ_KEY);
                breaches.send(Breaches.firing("r-new-group", "TJ-KT", ThreatType.ARMED_INCURSION));
                await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received("/once").size() == 2);
            }

            // When an instance starts with a new webhooks group id (and so a new retries group)
            final Map<String, Object> renamed = new HashMap<>(properties);
            renamed.put("borderwatch.alert.webhooks.group-id", "renamed-" + System.nanoTime());
            try (AlertApp second = AlertApp.start(renamed)) {
                // Then it starts at the end of every topic it consumes: nothing is sent again
                await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10))
                        .until(() -> receiver.received("/once").size() == 2);
                // and it still delivers what happens from now on
                breaches.send(Breaches.firing("r-new-group-2", "TJ-KT", ThreatType.ARMED_INCURSION));
                await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received("/once").size() == 3);
            }
        }
    }

    @Test
    void shouldSkipARetryRecordWhenALaterRecordOfItsNotificationExists() {
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start();
             WebhookReceiver receiver = new WebhookReceiver()) {
            kafka.createTopics();
            final Map<String, Object> properties = AlertApp.freshProperties(kafka, dir);
            AlertApp app = AlertApp.start(properties);
            try {
                final String subscriptionId = (String) app.body(app.post("/v1/subscriptions", Map.of(
                        "channel", "webhook", "url", receiver.url("/stale")), AlertApp.OPS_TJ_KEY))
                        .get("subscriptionId");
                app.close();

                // Given, while the service is down (its retries group committed before these records):
                //   webhooks-retries  key sub|done:    [retry attempt 2] [retry attempt 3] [tombstone: delivered]
                //                     key sub|chain:   [retry attempt 2] [retry attempt 3]
                //                     key sub|pending: [retry attempt 2]
                try (KafkaProducer<String, WebhookDelivery> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                        Topics.WEBHOOK_RETRIES.keySerde().serializer(),
                        Topics.WEBHOOK_RETRIES.valueSerde().serializer())) {
                    for (final WebhookDelivery record : List.of(retry(subscriptionId, "done", 2),
                            retry(subscriptionId, "done", 3), retry(subscriptionId, "chain", 2),
                            retry(subscriptionId, "chain", 3), retry(subscriptionId, "pending", 2))) {
                        producer.send(new ProducerRecord<>(Topics.WEBHOOK_RETRIES.name(),
                                Deliveries.key(record), record));
                    }
                    producer.send(new ProducerRecord<>(Topics.WEBHOOK_RETRIES.name(),
                            Deliveries.key(subscriptionId, "done"), null));
                    producer.flush();
                }

                // When the service starts again
                app = AlertApp.start(properties);

                // Then only the latest record of each notification runs: once for "chain", once for "pending",
                // never for "done", whose final outcome came after its retries
                await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received("/stale").size() >= 2);
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                        .until(() -> receiver.received("/stale").size() == 2);
                assertThat(receiver.received("/stale")).extracting(Received::id)
                        .containsExactlyInAnyOrder("chain", "pending");
            } finally {
                app.close();
            }
        }
    }

    private static WebhookDelivery retry(final String subscriptionId, final String webhookId, final int attempt) {
        final Instant past = Instant.now().minusSeconds(60);
        return WebhookDelivery.newBuilder()
                .setWebhookId(webhookId)
                .setSubscriptionId(subscriptionId)
                .setAlertId("r-stale|TJ-KT|ARMED_INCURSION")
                .setAlertVersion(1)
                .setContentType("application/json")
                .setBody(ByteBuffer.wrap(("{\"attempt\": " + attempt + "}").getBytes(StandardCharsets.UTF_8)))
                .setAttempt(attempt)
                .setFirstAttemptAt(past)
                .setNotBefore(past)
                .setLastError("500")
                .build();
    }
}
