package org.borderwatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.borderwatch.kafka.access.AccessPolicy;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.borderwatch.kafka.embedded.Security;
import org.borderwatch.schemas.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest service on a SASL_SSL broker with the borderwatch ACLs, configured only through {@code kafka.*}
 * properties (what {@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_JAAS_CONFIG}, ... set in a deployment):
 * its producer and its readiness check both authenticate as the {@code ingest} principal.
 */
class SecuredKafkaPublishTest {

    @TempDir
    static Path dir;

    private static EmbeddedKafkaCluster kafka;
    private static IngestApp app;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafkaCluster.builder().security(Security.saslSsl()).build().start();
        kafka.createTopics();
        final Map<String, Object> properties = new HashMap<>();
        kafka.clientProperties(AccessPolicy.INGEST).forEach((key, value) -> properties.put("kafka." + key, value));
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
    }

    @Test
    void shouldPublishOverSaslSslWhenTheServiceHasItsOwnPrincipal() {
        final Map<String, Object> incident = Reports.incident();

        final HttpResponse<String> response = app.postJson("/v1/incidents", incident);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        // Read as the aggregator, the principal that may read incidents.
        assertThat(TopicReader.readAll(kafka.clientProperties(AccessPolicy.AGGREGATOR), Topics.INCIDENTS))
                .extracting(record -> TopicReader.eventIdOf(record.value()))
                .contains((String) incident.get("eventId"));
        assertThat(app.get("/health").statusCode()).isEqualTo(200);
    }
}
