package org.borderwatch.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.borderwatch.alert.support.AlertApp;
import org.borderwatch.alert.support.Breaches;
import org.borderwatch.alert.support.WebhookReceiver;
import org.borderwatch.alert.support.WebhookReceiver.Received;
import org.borderwatch.avro.ThreatType;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pending webhook retries and subscriptions live in Kafka: a restarted service resumes them. */
class WebhookRestartTest {

    @TempDir
    Path dir;

    @Test
    void shouldResumeAPendingRetryWithTheSameIdWhenTheServiceRestarted() {
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start();
             Breaches breaches = new Breaches(kafka.bootstrapServers());
             WebhookReceiver receiver = new WebhookReceiver()) {
            kafka.createTopics();
            final Map<String, Object> properties = new HashMap<>(AlertApp.freshProperties(kafka, dir));
            // The second retry waits long enough to be still pending while the service is down.
            properties.put("borderwatch.alert.webhooks.retry-delays", "100ms,4s,4s");
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

                await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received("/durable").size() >= 3);
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
}
