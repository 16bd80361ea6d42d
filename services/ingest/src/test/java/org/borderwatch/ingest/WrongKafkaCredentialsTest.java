package org.borderwatch.ingest;

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
 * The ingest service started with a wrong SCRAM password against the secured embedded cluster fails visibly and
 * safely: readiness is DOWN, a report gets 503 (never 202), a log line names the authentication failure, and no log
 * line holds the password.
 */
class WrongKafkaCredentialsTest {

    private static final String WRONG_PASSWORD = "wrong-" + Long.toHexString(System.nanoTime()) + "-secret";

    @TempDir
    static Path dir;

    private static EmbeddedKafkaCluster kafka;
    private static IngestApp app;
    private static LogCapture log;

    @BeforeAll
    static void start() {
        log = LogCapture.start();
        kafka = EmbeddedKafkaCluster.builder().security(Security.saslSsl()).build().start();
        kafka.createTopics();
        final Map<String, Object> properties = new HashMap<>();
        kafka.clientProperties(AccessPolicy.INGEST).forEach((key, value) -> properties.put("kafka." + key, value));
        properties.put("kafka." + SaslConfigs.SASL_JAAS_CONFIG,
                ClusterAccess.jaasConfig(AccessPolicy.INGEST, WRONG_PASSWORD));
        app = IngestApp.start(kafka, dir, properties);
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
        // Readiness says Kafka is down, and why
        await().atMost(Duration.ofSeconds(30)).until(() -> app.get("/health").statusCode() == 503);

        final HttpResponse<String> refused = app.postJson("/v1/incidents", Reports.incident());

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(app.body(refused)).containsEntry("type", "urn:borderwatch:problem:service-unavailable");
        assertThat(refused.body()).doesNotContain(WRONG_PASSWORD);
        // The service's own line names the failure and what to check
        assertThat(log.lines()).anySatisfy(line -> assertThat(line).startsWith("org.borderwatch")
                .contains("Kafka authentication failed").contains("KAFKA_SASL_JAAS_CONFIG"));
        assertThat(log.lines()).isNotEmpty().noneMatch(line -> line.contains(WRONG_PASSWORD));
    }
}
