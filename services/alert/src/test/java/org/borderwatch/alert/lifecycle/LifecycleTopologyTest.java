package org.borderwatch.alert.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.borderwatch.avro.Alert;
import org.borderwatch.avro.AlertChange;
import org.borderwatch.avro.AlertCommand;
import org.borderwatch.avro.AlertCommandType;
import org.borderwatch.avro.AlertStatus;
import org.borderwatch.avro.Breach;
import org.borderwatch.avro.BreachStatus;
import org.borderwatch.avro.Metric;
import org.borderwatch.avro.Severity;
import org.borderwatch.avro.ThreatType;
import org.borderwatch.schemas.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LifecycleTopologyTest {

    private static final String ID = "r1|TJ-KT|ARMED_INCURSION";
    private static final Instant T0 = Instant.parse("2025-05-01T21:00:00Z");

    private TopologyTestDriver driver;
    private TestInputTopic<String, Breach> breaches;
    private TestInputTopic<String, AlertCommand> commands;
    private TestInputTopic<byte[], byte[]> rawBreaches;
    private TestOutputTopic<String, Alert> alerts;

    @BeforeEach
    void setUp() {
        final Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "lifecycle-test");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        properties.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueExceptionHandler.class);
        driver = new TopologyTestDriver(LifecycleTopology.build(), properties);
        breaches = driver.createInputTopic(Topics.BREACHES.name(), Topics.KEY.serializer(),
                Topics.BREACHES.valueSerde().serializer());
        commands = driver.createInputTopic(Topics.ALERT_COMMANDS.name(), Topics.KEY.serializer(),
                Topics.ALERT_COMMANDS.valueSerde().serializer());
        rawBreaches = driver.createInputTopic(Topics.BREACHES.name(), new ByteArraySerializer(),
                new ByteArraySerializer());
        alerts = driver.createOutputTopic(Topics.ALERTS.name(), Topics.KEY.deserializer(),
                Topics.ALERTS.valueSerde().deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void shouldFireOnceWhenTheBreachRepeatsWithTheSameSeverity() {
        pipe(breach(BreachStatus.FIRING, Severity.HIGH, 1, 0), breach(BreachStatus.FIRING, Severity.HIGH, 2, 60),
                breach(BreachStatus.ESCALATED, Severity.MEDIUM, 3, 120));

        final List<Alert> out = alerts.readValuesToList();
        assertThat(out).extracting(Alert::getChange).containsExactly(AlertChange.FIRED);
        assertThat(out.get(0)).satisfies(alert -> {
            assertThat(alert.getAlertId()).isEqualTo(ID);
            assertThat(alert.getVersion()).isEqualTo(1);
            assertThat(alert.getStatus()).isEqualTo(AlertStatus.FIRING);
            assertThat(alert.getStartsAt()).isEqualTo(T0);
        });
    }

    @Test
    void shouldEscalateOnlyWhenTheSeverityRises() {
        pipe(breach(BreachStatus.FIRING, Severity.MEDIUM, 1, 0), breach(BreachStatus.ESCALATED, Severity.HIGH, 2, 60),
                breach(BreachStatus.ESCALATED, Severity.CRITICAL, 3, 120));

        assertThat(alerts.readValuesToList()).extracting(Alert::getChange, Alert::getSeverity, Alert::getVersion,
                Alert::getEscalationLevel).containsExactly(
                org.assertj.core.groups.Tuple.tuple(AlertChange.FIRED, Severity.MEDIUM, 1L, 0),
                org.assertj.core.groups.Tuple.tuple(AlertChange.ESCALATED, Severity.HIGH, 2L, 1),
                org.assertj.core.groups.Tuple.tuple(AlertChange.ESCALATED, Severity.CRITICAL, 3L, 2));
    }

    @Test
    void shouldIgnoreABreachWhoseVersionWasAlreadyAppliedWhenItIsReplayed() {
        final Breach fired = breach(BreachStatus.FIRING, Severity.HIGH, 1, 0);
        final Breach resolved = breach(BreachStatus.RESOLVED, Severity.HIGH, 2, 60);

        pipe(fired, resolved, fired, resolved);

        assertThat(alerts.readValuesToList()).extracting(Alert::getChange)
                .containsExactly(AlertChange.FIRED, AlertChange.RESOLVED);
    }

    @Test
    void shouldStartANewEpisodeWithTheNextVersionWhenFiringAgainAfterAResolve() {
        pipe(breach(BreachStatus.FIRING, Severity.HIGH, 1, 0), breach(BreachStatus.RESOLVED, Severity.HIGH, 2, 60));
        commands.pipeInput(ID, ack("ops-tj", 90)); // ignored: resolved
        pipe(breach(BreachStatus.RESOLVED, Severity.HIGH, 3, 100), breach(BreachStatus.FIRING, Severity.LOW, 4, 120));

        final List<Alert> out = alerts.readValuesToList();
        assertThat(out).extracting(Alert::getChange, Alert::getVersion).containsExactly(
                org.assertj.core.groups.Tuple.tuple(AlertChange.FIRED, 1L),
                org.assertj.core.groups.Tuple.tuple(AlertChange.RESOLVED, 2L),
                org.assertj.core.groups.Tuple.tuple(AlertChange.FIRED, 3L));
        assertThat(out.get(1).getEndsAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(out.get(2).getEndsAt()).isNull();
        assertThat(out.get(2).getSeverity()).isEqualTo(Severity.LOW);
    }

    @Test
    void shouldAcknowledgeOnceWhenTheAcknowledgementIsRepeated() {
        pipe(breach(BreachStatus.FIRING, Severity.HIGH, 1, 0));
        commands.pipeInput(ID, ack("ops-tj", 30));
        commands.pipeInput(ID, ack("root", 40));

        final List<Alert> out = alerts.readValuesToList();
        assertThat(out).extracting(Alert::getChange).containsExactly(AlertChange.FIRED, AlertChange.ACKNOWLEDGED);
        assertThat(out.get(1).getAcknowledgement().getBy()).isEqualTo("ops-tj");
        assertThat(out.get(1).getAcknowledgement().getComment()).isEqualTo("on it");
        assertThat(out.get(1).getUpdatedAt()).isEqualTo(T0.plusSeconds(30));
    }

    @Test
    void shouldIgnoreAnAcknowledgementWhenTheAlertIsUnknown() {
        commands.pipeInput("nope|TJ-KT|OTHER", ack("ops-tj", 0));

        assertThat(alerts.isEmpty()).isTrue();
    }

    @Test
    void shouldSkipAnUndecodableBreachAndGoOnWhenBytesArePoison() {
        rawBreaches.pipeInput(ID.getBytes(), new byte[] {1, 2, 3});
        pipe(breach(BreachStatus.FIRING, Severity.HIGH, 1, 0));

        assertThat(alerts.readValuesToList()).extracting(Alert::getChange).containsExactly(AlertChange.FIRED);
    }

    private void pipe(final Breach... inputs) {
        for (final Breach breach : inputs) {
            breaches.pipeInput(breach.getBreachId(), breach, breach.getUpdatedAt());
        }
    }

    private static Breach breach(final BreachStatus status, final Severity severity, final long version,
                                 final long secondsAfterStart) {
        return Breach.newBuilder()
                .setBreachId(ID).setRuleId("r1").setRuleName("Rule 1").setRegion("TJ-KT")
                .setThreatType(ThreatType.ARMED_INCURSION).setStatus(status).setSeverity(severity)
                .setMetric(Metric.EVENT_COUNT).setObservedValue(12).setThreshold(10).setWindow("PT1H")
                .setWindowStart(T0.minusSeconds(3600)).setWindowEnd(T0)
                .setStartsAt(T0).setUpdatedAt(T0.plusSeconds(secondsAfterStart)).setVersion(version)
                .build();
    }

    private static AlertCommand ack(final String by, final long secondsAfterStart) {
        return AlertCommand.newBuilder().setCommandId(UUID.randomUUID()).setAlertId(ID)
                .setType(AlertCommandType.ACKNOWLEDGE).setBy(by).setAt(T0.plusSeconds(secondsAfterStart))
                .setComment("on it").build();
    }
}
