package org.borderwatch.alert.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.SaslConfigs;
import org.borderwatch.alert.support.AlertApp;
import org.borderwatch.kafka.access.AccessPolicy;
import org.borderwatch.kafka.access.ClusterAccess;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.borderwatch.kafka.embedded.Security;
import org.borderwatch.testkit.LogCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert service started with a wrong SCRAM password against the secured embedded cluster fails visibly and
 * safely: readiness is DOWN, a change (a silence) gets 503, its Kafka loops log the authentication failure and keep
 * retrying, and no log line holds the password.
 */
class WrongKafkaCredentialsTest {

    private static final String WRONG_PASSWORD = "wrong-" + Long.toHexString(System.nanoTime()) + "-secret";

    @TempDir
    static Path dir;

    private static EmbeddedKafkaCluster kafka;
    private static AlertApp app;
    private static LogCapture log;

    @BeforeAll
    static void start() {
        log = LogCapture.start();
        kafka = EmbeddedKafkaCluster.builder().security(Security.saslSsl()).build().start();
        kafka.createTopics();
        final Map<String, Object> properties = AlertApp.freshProperties(kafka, dir);
        kafka.clientProperties(AccessPolicy.ALERT).forEach((key, value) -> properties.put("kafka." + key, value));
        properties.put("kafka." + SaslConfigs.SASL_JAAS_CONFIG,
                ClusterAccess.jaasConfig(AccessPolicy.ALERT, WRONG_PASSWORD));
        properties.put("borderwatch.alert.lifecycle-application-id", AccessPolicy.ALERT_PREFIX + "lifecycle-wrong");
        properties.put("borderwatch.alert.webhooks.group-id", AccessPolicy.ALERT_PREFIX + "webhooks-wrong");
        app = AlertApp.startUnready(properties);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        log.close();
    }

    @Test
    void shouldFailVisiblyAndSafelyWhenTheScramPasswordIsWrong() {
        await().atMost(Duration.ofSeconds(30)).until(() -> app.get("/health", null).statusCode() == 503);

        final HttpResponse<String> refused = app.post("/v1/silences", Map.of("regions", List.of("TJ-KT"),
                "endsAt", Instant.now().plusSeconds(600).toString()), AlertApp.OPS_TJ_KEY);

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(app.body(refused)).containsEntry("type", "urn:borderwatch:problem:service-unavailable");
        // The mirrors and consumer loops name the failure and what to check, and keep trying
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(log.lines()).anySatisfy(line ->
                assertThat(line).startsWith("org.borderwatch").contains("Kafka authentication failed")
                        .contains("KAFKA_SASL_JAAS_CONFIG")));
        assertThat(log.lines()).isNotEmpty().noneMatch(line -> line.contains(WRONG_PASSWORD));
    }
}
