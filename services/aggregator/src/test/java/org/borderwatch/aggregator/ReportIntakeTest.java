package org.borderwatch.aggregator;

import org.borderwatch.aggregator.config.AggregatorConfig;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.borderwatch.aggregator.Expected.aggregate;
import static org.borderwatch.aggregator.Expected.regionAndCountry;
import static org.borderwatch.aggregator.Reports.at;
import static org.borderwatch.aggregator.Reports.incident;
import static org.borderwatch.aggregator.Reports.seizure;
import static org.borderwatch.avro.ThreatType.DRUG_TRAFFICKING;
import static org.borderwatch.avro.ThreatType.ILLEGAL_CROSSING;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.test.TestRecord;
import org.borderwatch.aggregator.deadletter.InvalidReportException;
import org.borderwatch.aggregator.metrics.AggregatorMetrics;
import org.borderwatch.aggregator.window.WindowSpec;
import org.borderwatch.avro.BorderIncident;
import org.borderwatch.avro.DrugSeizure;
import org.borderwatch.avro.DrugType;
import org.borderwatch.avro.LateEvent;
import org.borderwatch.avro.Severity;
import org.borderwatch.avro.ThreatAggregate;
import org.borderwatch.schemas.Topic;
import org.borderwatch.schemas.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What happens to each report before it is counted: late, duplicate, undecodable and invalid reports. */
class ReportIntakeTest {

    private static final List<String> ERROR_HEADERS = List.of("__streams.errors.exception",
            "__streams.errors.message", "__streams.errors.stacktrace", "__streams.errors.topic",
            "__streams.errors.partition", "__streams.errors.offset");

    @TempDir
    Path stateDir;
    AggregatorDriver aggregator;

    private static final AggregatorConfig CONFIG = AggregatorConfig.defaults().withApplicationId("intake-test")
            .withWindows(List.of(WindowSpec.tumbling("PT1H")));

    @BeforeEach
    void start() {
        aggregator = new AggregatorDriver(CONFIG, stateDir);
    }

    @AfterEach
    void stop() {
        aggregator.close();
    }

    @Test
    void shouldRouteReportToLateEventsAndNotCountItWhenItIsOlderThanGrace() {
        // Given stream time 17:00 and the default grace of 6 hours: the cut-off is 11:00
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "17:00"));
        final BorderIncident lateIncident = incident("TJ-KT", ILLEGAL_CROSSING, "10:59:59.999");
        final DrugSeizure lateSeizure = seizure("TJ-GB", "03:00", DrugType.OPIUM, 40.0);

        // When reports from before the cut-off arrive
        aggregator.publish(lateIncident);
        aggregator.publish(lateSeizure);
        aggregator.flush();

        // Then they go to the late-events topic with their original bytes, and are neither counted nor lost
        assertThat(aggregator.lateEvents.readKeyValuesToList()).containsExactly(
                KeyValue.pair("TJ-KT", LateEvent.newBuilder()
                        .setSourceTopic(Topics.INCIDENTS.name())
                        .setEventId(lateIncident.getEventId())
                        .setRegion("TJ-KT")
                        .setThreatType(ILLEGAL_CROSSING)
                        .setOccurredAt(at("10:59:59.999"))
                        .setObservedStreamTime(at("17:00"))
                        .setReason("occurred at 2026-03-02T10:59:59.999Z, before the cut-off 2026-03-02T11:00:00Z"
                                + " (stream time 2026-03-02T17:00:00Z minus grace PT6H); not counted")
                        .setPayload(ByteBuffer.wrap(bytes(Topics.INCIDENTS, lateIncident)))
                        .build()),
                KeyValue.pair("TJ-GB", LateEvent.newBuilder()
                        .setSourceTopic(Topics.SEIZURES.name())
                        .setEventId(lateSeizure.getEventId())
                        .setRegion("TJ-GB")
                        .setThreatType(DRUG_TRAFFICKING)
                        .setOccurredAt(at("03:00"))
                        .setObservedStreamTime(at("17:00"))
                        .setReason("occurred at 2026-03-02T03:00:00Z, before the cut-off 2026-03-02T11:00:00Z"
                                + " (stream time 2026-03-02T17:00:00Z minus grace PT6H); not counted")
                        .setPayload(ByteBuffer.wrap(bytes(Topics.SEIZURES, lateSeizure)))
                        .build()));
        assertThat(aggregator.aggregates.readKeyValuesToMap()).isEqualTo(regionAndCountry(seventeenHundred(1)));
        assertThat(aggregator.metricTotal(AggregatorMetrics.LATE_EVENTS)).isEqualTo(2.0);
    }

    @Test
    void shouldCountReportOnceWhenTheSameEventIdIsPublishedAgain() {
        final BorderIncident incident = incident("TJ-KT", ILLEGAL_CROSSING, "17:00");

        aggregator.publish(incident);
        aggregator.publish(incident);
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "17:30"));
        aggregator.flush();
        aggregator.publish(incident);
        aggregator.flush();

        assertThat(aggregator.aggregates.readKeyValuesToMap()).isEqualTo(regionAndCountry(
                ThreatAggregate.newBuilder(seventeenHundred(2)).setLastEventAt(at("17:30")).build()));
        assertThat(aggregator.metricTotal(AggregatorMetrics.DUPLICATE_EVENTS)).isEqualTo(2.0);
        assertThat(aggregator.lateEvents.isEmpty()).isTrue();
    }

    @Test
    void shouldSendBytesToDeadLetterAndContinueWhenTheyDoNotDecode() {
        restartAtLeastOnce();
        final byte[] poison = "{\"eventId\": \"not avro\"}".getBytes(UTF_8);

        aggregator.rawIncidents.pipeInput("TJ-KT", poison, at("16:00"));
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "17:00"));
        aggregator.flush();

        final List<TestRecord<byte[], byte[]>> deadLetters = aggregator.deadLetters.readRecordsToList();
        assertThat(deadLetters).hasSize(1);
        final TestRecord<byte[], byte[]> deadLetter = deadLetters.get(0);
        assertThat(deadLetter.key()).isEqualTo("TJ-KT".getBytes(UTF_8));
        assertThat(deadLetter.value()).isEqualTo(poison);
        final Map<String, String> headers = headers(deadLetter);
        assertThat(headers).containsOnlyKeys(ERROR_HEADERS);
        assertThat(headers).containsEntry("__streams.errors.topic", Topics.INCIDENTS.name())
                .containsEntry("__streams.errors.partition", "0")
                .containsEntry("__streams.errors.offset", "0")
                .containsEntry("__streams.errors.exception", SerializationException.class.getName());
        assertThat(headers.get("__streams.errors.message"))
                .startsWith("cannot decode BorderIncident from topic border.incidents.v1");
        assertThat(aggregator.aggregates.readKeyValuesToMap()).isEqualTo(regionAndCountry(seventeenHundred(1)));
    }

    @Test
    void shouldSendRecordToDeadLetterWhenItsSchemaFingerprintIsUnknown() {
        restartAtLeastOnce();
        final byte[] valid = bytes(Topics.INCIDENTS, incident("TJ-KT", ILLEGAL_CROSSING, "16:00"));
        final byte[] unknownWriter = Arrays.copyOf(valid, valid.length);
        Arrays.fill(unknownWriter, 2, 10, (byte) 0x5A);

        aggregator.rawIncidents.pipeInput("TJ-KT", unknownWriter, at("16:00"));
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "17:00"));
        aggregator.flush();

        final List<TestRecord<byte[], byte[]>> deadLetters = aggregator.deadLetters.readRecordsToList();
        assertThat(deadLetters).hasSize(1);
        assertThat(deadLetters.get(0).value()).isEqualTo(unknownWriter);
        assertThat(headers(deadLetters.get(0))).containsEntry("__streams.errors.offset", "0")
                .containsEntry("__streams.errors.exception", SerializationException.class.getName());
        assertThat(headers(deadLetters.get(0)).get("__streams.errors.message")).contains("fingerprint");
        assertThat(aggregator.aggregates.readKeyValuesToMap()).isEqualTo(regionAndCountry(seventeenHundred(1)));
    }

    @Test
    void shouldSendReportToDeadLetterWhenItCannotBeCounted() {
        final BorderIncident wrongKey = incident("TJ-KT", ILLEGAL_CROSSING, "16:10");
        final BorderIncident badRegion = incident("Khatlon", ILLEGAL_CROSSING, "16:20");
        final DrugSeizure negative = seizure("TJ-KT", "16:30", DrugType.HEROIN, -5.0);

        aggregator.incidents.pipeInput("TJ-GB", wrongKey, wrongKey.getOccurredAt());
        aggregator.publish(badRegion);
        aggregator.seizures.pipeInput("TJ-KT", negative, negative.getOccurredAt());
        aggregator.rawIncidents.pipeInput("TJ-KT", null, at("16:40"));
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "17:00"));
        aggregator.flush();

        final List<TestRecord<byte[], byte[]>> deadLetters = aggregator.deadLetters.readRecordsToList();
        assertThat(deadLetters).extracting(record -> headers(record).get("__streams.errors.message")).containsExactly(
                "the record key 'TJ-GB' is not the report's region 'TJ-KT'; reports are partitioned by region",
                "region 'Khatlon' is not an ISO 3166-2 subdivision code such as TJ-KT",
                "quantityKg -5.0 is not a number >= 0",
                "the value is null: event topics carry reports, not deletions");
        assertThat(deadLetters).extracting(record -> headers(record).get("__streams.errors.exception"))
                .containsOnly(InvalidReportException.class.getName());
        assertThat(deadLetters).extracting(record -> headers(record).get("__streams.errors.topic"))
                .containsExactly(Topics.INCIDENTS.name(), Topics.INCIDENTS.name(), Topics.SEIZURES.name(),
                        Topics.INCIDENTS.name());
        assertThat(deadLetters.get(0).value()).isEqualTo(bytes(Topics.INCIDENTS, wrongKey));
        assertThat(aggregator.aggregates.readKeyValuesToMap()).isEqualTo(regionAndCountry(seventeenHundred(1)));
    }

    @Test
    void shouldRejectReportWithoutMovingStreamTimeWhenItsClockIsAhead() {
        // Given a report that claims to have happened the next day, published at 16:00
        final BorderIncident fromTheFuture = BorderIncident.newBuilder(incident("TJ-KT", ILLEGAL_CROSSING, "16:00"))
                .setOccurredAt(Instant.parse("2026-03-03T16:00:00Z")).build();

        aggregator.incidents.pipeInput("TJ-KT", fromTheFuture, at("16:00"));
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "17:00"));
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "12:00"));
        aggregator.flush();

        // Then it is a dead letter, and stream time stayed on today: 12:00 is within grace of 17:00
        assertThat(aggregator.deadLetters.readRecordsToList()).extracting(record -> headers(record)
                .get("__streams.errors.message")).containsExactly("occurredAt 2026-03-03T16:00:00Z lies more than"
                + " PT5M after the time Kafka received the report; the reporting clock is wrong");
        assertThat(aggregator.lateEvents.isEmpty()).isTrue();
        assertThat(aggregator.aggregates.readKeyValuesToMap()).hasSize(4);
    }

    /** See {@link AggregatorDriver#atLeastOnce}: how the test driver can show a dead letter of undecodable bytes. */
    private void restartAtLeastOnce() {
        aggregator.close();
        aggregator = AggregatorDriver.atLeastOnce(CONFIG, stateDir);
    }

    private static ThreatAggregate seventeenHundred(final int events) {
        return aggregate("TJ-KT", ILLEGAL_CROSSING, "PT1H", "17:00", "18:00").setEventCount(events)
                .setSeverityScore(7.0 * events).setMaxSeverity(Severity.HIGH).setDistinctAgencies(1)
                .setLastEventAt(at("17:00")).build();
    }

    private static <V> byte[] bytes(final Topic<String, V> topic, final V value) {
        return topic.valueSerde().serializer().serialize(topic.name(), value);
    }

    private static Map<String, String> headers(final TestRecord<byte[], byte[]> record) {
        return Arrays.stream(record.headers().toArray()).collect(Collectors.toMap(Header::key,
                header -> header.value() == null ? "" : new String(header.value(), UTF_8)));
    }
}
