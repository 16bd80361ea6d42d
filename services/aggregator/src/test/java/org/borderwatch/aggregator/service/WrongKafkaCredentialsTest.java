package org.borderwatch.aggregator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.config.SaslConfigs;
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
 * The aggregator started with a wrong SCRAM password against the secured embedded cluster fails visibly and safely:
 * readiness is DOWN, a rule write gets 503, the rule catalog logs the authentication failure and keeps retrying, and
 * no log line holds the password.
 */
class WrongKafkaCredentialsTest {

    private static final String WRONG_PASSWORD = "wrong-" + Long.toHexString(System.nanoTime()) + "-secret";

    @TempDir
    static Path dir;

    private static EmbeddedKafkaCluster kafka;
    private static AggregatorApp app;
    private static LogCapture log;

    @BeforeAll
    static void start() {
        log = LogCapture.start();
        kafka = EmbeddedKafkaCluster.builder().security(Security.saslSsl()).build().start();
        kafka.createTopics();
        final Map<String, Object> properties = new HashMap<>();
        kafka.clientProperties(AccessPolicy.AGGREGATOR).forEach((key, value) -> properties.put("kafka." + key,
                value));
        properties.put("kafka." + SaslConfigs.SASL_JAAS_CONFIG,
                ClusterAccess.jaasConfig(AccessPolicy.AGGREGATOR, WRONG_PASSWORD));
        properties.put("borderwatch.aggregator.application-id",
                AccessPolicy.AGGREGATOR_PREFIX + "-" + AggregatorApp.uniqueApplicationId("wrong"));
        properties.put("borderwatch.aggregator.close-timeout", "2s");
        app = AggregatorApp.start(kafka, Credentials.write(dir), dir.resolve("state"), properties);
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
        await().atMost(Duration.ofSeconds(30)).until(() -> app.http.get("/health", null).statusCode() == 503);

        final HttpResponse<String> refused = app.http.post("/v1/rules", Credentials.ADMIN_KEY, Map.of(
                "ruleId", "wrong-credentials", "name", "Never stored", "region", "KG-B",
                "threatType", "ILLEGAL_CROSSING", "window", "PT1H", "metric", "EVENT_COUNT", "threshold", 10,
                "resolveThreshold", 5, "severity", "MEDIUM"));

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(app.http.map(refused)).containsEntry("type", "urn:borderwatch:problem:service-unavailable");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(log.lines()).anySatisfy(line ->
                assertThat(line).startsWith("org.borderwatch").contains("Kafka authentication failed")
                        .contains("KAFKA_SASL_JAAS_CONFIG")));
        assertThat(log.lines()).isNotEmpty().noneMatch(line -> line.contains(WRONG_PASSWORD));
    }
}
