package org.borderwatch.cli.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.borderwatch.avro.BorderIncident;
import org.borderwatch.avro.Confidence;
import org.borderwatch.avro.DetectionMethod;
import org.borderwatch.avro.Severity;
import org.borderwatch.avro.ThreatType;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.borderwatch.schemas.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;

/** {@code borderwatch tail} against a real broker: Avro values come out as JSON lines, poison as base64. */
class TailCommandTest {

    private static EmbeddedKafkaCluster kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafkaCluster.builder().brokers(1).build().start();
        kafka.createTopics();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void shouldPrintDecodedRecordsAsJsonLinesWhenTheTopicHoldsAvro() throws Exception {
        // Given an incident and a record that is not Avro on the incidents topic
        final BorderIncident incident = BorderIncident.newBuilder().setEventId(UUID.randomUUID())
                .setAgencyId("TJ-BORDER-GUARD").setOccurredAt(Instant.parse("2026-11-28T03:00:00Z"))
                .setReportedAt(Instant.parse("2026-11-28T03:05:00Z")).setRegion("TJ-KT")
                .setSeverity(Severity.HIGH).setConfidence(Confidence.CONFIRMED)
                .setThreatType(ThreatType.ARMED_INCURSION).setPersonsInvolved(4)
                .setDetectedBy(DetectionMethod.PATROL).build();
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.INCIDENTS.name(), 0, "TJ-KT".getBytes(StandardCharsets.UTF_8),
                    Topics.INCIDENTS.valueSerde().serializer().serialize(Topics.INCIDENTS.name(), incident))).get();
            producer.send(new ProducerRecord<>(Topics.INCIDENTS.name(), 0, "TJ-KT".getBytes(StandardCharsets.UTF_8),
                    "not avro".getBytes(StandardCharsets.UTF_8))).get();
        }

        // When tail reads the topic to its end
        final List<JsonNode> lines = tail(Topics.INCIDENTS.name(), "--no-follow");

        // Then the incident is a JSON object in the API's shape, and the poison record is shown, not hidden
        assertThat(lines).hasSize(2);
        final JsonNode value = lines.get(0).get("value");
        assertThat(lines.get(0).get("key").asText()).isEqualTo("TJ-KT");
        assertThat(value.get("eventId").asText()).isEqualTo(incident.getEventId().toString());
        assertThat(value.get("occurredAt").asText()).isEqualTo("2026-11-28T03:00:00Z");
        assertThat(value.get("threatType").asText()).isEqualTo("ARMED_INCURSION");
        assertThat(value.get("personsInvolved").asInt()).isEqualTo(4);
        assertThat(lines.get(1).get("error").asText()).contains("cannot decode BorderIncident");
        assertThat(lines.get(1).get("valueBase64").asText()).isEqualTo("bm90IGF2cm8=");
    }

    @Test
    void shouldRefuseATopicOutsideTheRegistry() throws Exception {
        final CommandLine cli = new CommandLine(new TailCommand());
        cli.setErr(new java.io.PrintWriter(new ByteArrayOutputStream()));

        assertThat(cli.execute("border.unknown.v1", "--bootstrap-servers", kafka.bootstrapServers())).isEqualTo(2);
    }

    private static List<JsonNode> tail(final String... args) throws Exception {
        final PrintStream original = System.out;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            final String[] all = new String[args.length + 2];
            System.arraycopy(args, 0, all, 0, args.length);
            all[args.length] = "--bootstrap-servers";
            all[args.length + 1] = kafka.bootstrapServers();
            assertThat(new CommandLine(new TailCommand()).execute(all)).isZero();
        } finally {
            System.setOut(original);
        }
        final ObjectMapper json = new ObjectMapper();
        return captured.toString(StandardCharsets.UTF_8).lines().map(line -> {
            try {
                return json.readTree(line);
            } catch (final Exception e) {
                throw new AssertionError("not JSON: " + line, e);
            }
        }).toList();
    }
}
