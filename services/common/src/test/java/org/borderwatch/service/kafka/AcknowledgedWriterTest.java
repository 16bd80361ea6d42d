package org.borderwatch.service.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.borderwatch.schemas.Topics;
import org.borderwatch.service.problem.ProblemException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The kit's writer against a real broker: an acknowledged write returns its position; no broker, a bounded 503. */
class AcknowledgedWriterTest {

    private static final AcknowledgedWriter.OutcomeUnknown RULE = new AcknowledgedWriter.OutcomeUnknown("rule",
            "Send the same request again later; it is stored once.", Duration.ofSeconds(7));

    private EmbeddedKafkaCluster kafka;
    private AcknowledgedWriter writer;

    @BeforeEach
    void start() {
        kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start();
        kafka.createTopics();
        writer = new AcknowledgedWriter(KitFixtures.clients(kafka, Map.of(
                "kafka.producer.max.block.ms", 1500,
                "kafka.producer.request.timeout.ms", 1000,
                "kafka.producer.delivery.timeout.ms", 2000)));
        // A new topic's leader may not be elected yet: the writer is tested once the broker takes writes.
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> writer.write(Topics.CONSOLE_SESSIONS, "warm-up", null) != null);
    }

    @AfterEach
    void stop() {
        writer.close();
        kafka.close();
    }

    @Test
    void shouldReturnTheRecordsPositionWhenKafkaAcknowledges() {
        final RecordMetadata first = writer.write(Topics.CONSOLE_SESSIONS, "k1", KitFixtures.session("a"));
        final RecordMetadata second = writer.write(Topics.CONSOLE_SESSIONS, "k1", null);

        assertThat(first.topic()).isEqualTo(Topics.CONSOLE_SESSIONS.name());
        assertThat(second.partition()).isEqualTo(first.partition());
        assertThat(second.offset()).isGreaterThan(first.offset());
        assertThat(writer.bound()).isEqualTo(Duration.ofMillis(1500 + 2000 + 1000));
    }

    @Test
    void shouldAnswerTheCallers503WithinTheBoundWhenTheBrokerIsDown() {
        // Given: the writer knows the topic's partitions, as a running service does
        writer.write(Topics.CONSOLE_SESSIONS, "k1", KitFixtures.session("a"));
        kafka.stopBroker(0);

        final long start = System.nanoTime();
        final ProblemException refused = catchThrowableOfType(ProblemException.class, () -> writer.write(
                Topics.CONSOLE_SESSIONS, "k2", KitFixtures.session("b"), null, RULE));
        final Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(refused).isNotNull();
        assertThat(refused.status().getCode()).isEqualTo(503);
        assertThat(refused.getMessage()).isEqualTo("Kafka did not acknowledge the rule in time: the outcome is"
                + " unknown, it may or may not be stored. Send the same request again later; it is stored once.");
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(took).isLessThanOrEqualTo(writer.bound().plusMillis(500));
    }
}
