package org.borderwatch.alert.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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
import org.borderwatch.avro.AlertChangeKind;
import org.borderwatch.avro.AlertCommand;
import org.borderwatch.avro.AlertCommandType;
import org.borderwatch.avro.AlertStatus;
import org.borderwatch.avro.Breach;
import org.borderwatch.avro.BreachStatus;
import org.borderwatch.avro.Metric;
import org.borderwatch.avro.Severity;
import org.borderwatch.avro.Silence;
import org.borderwatch.avro.Subscription;
import org.borderwatch.avro.SubscriptionChannel;
import org.borderwatch.avro.SubscriptionFormat;
import org.borderwatch.avro.ThreatType;
import org.borderwatch.schemas.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class LifecycleTopologyTest {

    private static final String ID = "r1|TJ-KT|ARMED_INCURSION";
    private static final Instant T0 = Instant.parse("2025-05-01T21:00:00Z");
    private static final Duration CHECK = Duration.ofSeconds(5);

    private TopologyTestDriver driver;
    private TestInputTopic<String, Breach> breaches;
    private TestInputTopic<String, AlertCommand> commands;
    private TestInputTopic<byte[], byte[]> rawBreaches;
    private TestOutputTopic<String, Alert> alerts;
    private TestInputTopic<String, Subscription> subscriptions;
    private TestInputTopic<String, Silence> silences;

    @BeforeEach
    void setUp() {
        final Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "lifecycle-test");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        properties.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueExceptionHandler.class);
        driver = new TopologyTestDriver(LifecycleTopology.build(CHECK), properties, T0);
        breaches = driver.createInputTopic(Topics.BREACHES.name(), Topics.KEY.serializer(),
                Topics.BREACHES.valueSerde().serializer());
        commands = driver.createInputTopic(Topics.ALERT_COMMANDS.name(), Topics.KEY.serializer(),
                Topics.ALERT_COMMANDS.valueSerde().serializer());
        rawBreaches = driver.createInputTopic(Topics.BREACHES.name(), new ByteArraySerializer(),
                new ByteArraySerializer());
        subscriptions = driver.createInputTopic(Topics.SUBSCRIPTIONS.name(), Topics.KEY.serializer(),
                Topics.SUBSCRIPTIONS.valueSerde().serializer());
        silences = driver.createInputTopic(Topics.SILENCES.name(), Topics.KEY.serializer(),
                Topics.SILENCES.valueSerde().serializer());
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

    // --- operator notes and manual resolve ---

    @Test
    void shouldAppendANoteWithoutChangingTheAlertWhenAnOperatorWritesOne() {
        pipe(breach(BreachStatus.FIRING, Severity.HIGH, 1, 0));
        commands.pipeInput(ID, command(AlertCommandType.NOTE, "ops-tj", 30, "Patrol on the way"));
        commands.pipeInput(ID, command(AlertCommandType.NOTE, "ops-tj", 40, "  "));

        final List<Alert> out = alerts.readValuesToList();
        assertThat(out).extracting(Alert::getKind, Alert::getChange, Alert::getVersion).containsExactly(
                Tuple.tuple(AlertChangeKind.STATE, AlertChange.FIRED, 1L),
                Tuple.tuple(AlertChangeKind.NOTE, AlertChange.FIRED, 2L));
        final Alert note = out.get(1);
        assertThat(note.getStatus()).isEqualTo(AlertStatus.FIRING);
        assertThat(note.getNote().getBy()).isEqualTo("ops-tj");
        assertThat(note.getNote().getText()).isEqualTo("Patrol on the way");
        assertThat(note.getUpdatedAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(note.getAcknowledgement()).isNull();
    }

    @Test
    void shouldClearTheNoteOnTheNextStateChangeWhenTheAlertIsAcknowledgedAfterANote() {
        pipe(breach(BreachStatus.FIRING, Severity.HIGH, 1, 0));
        commands.pipeInput(ID, command(AlertCommandType.NOTE, "ops-tj", 30, "Patrol on the way"));
        commands.pipeInput(ID, ack("ops-tj", 40));

        final Alert acknowledged = alerts.readValuesToList().get(2);
        assertThat(acknowledged.getKind()).isEqualTo(AlertChangeKind.STATE);
        assertThat(acknowledged.getChange()).isEqualTo(AlertChange.ACKNOWLEDGED);
        assertThat(acknowledged.getNote()).isNull();
        assertThat(acknowledged.getVersion()).isEqualTo(3);
    }

    @Test
    void shouldResolveOnceWithTheReasonWhenAnOperatorResolvesByHand() {
        pipe(breach(BreachStatus.FIRING, Severity.HIGH, 1, 0));
        commands.pipeInput(ID, command(AlertCommandType.RESOLVE, "ops-tj", 60, "Exercise, not a real incursion"));
        commands.pipeInput(ID, command(AlertCommandType.RESOLVE, "root", 70, "again"));
        commands.pipeInput(ID, ack("ops-tj", 80));

        final List<Alert> out = alerts.readValuesToList();
        assertThat(out).extracting(Alert::getChange).containsExactly(AlertChange.FIRED, AlertChange.RESOLVED);
        final Alert resolved = out.get(1);
        assertThat(resolved.getStatus()).isEqualTo(AlertStatus.RESOLVED);
        assertThat(resolved.getEndsAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(resolved.getManualResolution().getBy()).isEqualTo("ops-tj");
        assertThat(resolved.getManualResolution().getReason()).isEqualTo("Exercise, not a real incursion");
    }

    @Test
    void shouldStayResolvedForTheRestOfTheBreachEpisodeWhenResolvedByHand() {
        pipe(breach(BreachStatus.FIRING, Severity.HIGH, 1, 0));
        commands.pipeInput(ID, command(AlertCommandType.RESOLVE, "ops-tj", 60, "Known exercise"));
        // Same breach episode (same startsAt): a repeat at the same severity, then the breach's own resolve.
        pipe(breach(BreachStatus.FIRING, Severity.HIGH, 2, 120), breach(BreachStatus.RESOLVED, Severity.HIGH, 3, 600));
        // A new breach episode fires a new alert episode.
        pipe(Breach.newBuilder(breach(BreachStatus.FIRING, Severity.MEDIUM, 4, 3600))
                .setStartsAt(T0.plusSeconds(3600)).build());

        final List<Alert> out = alerts.readValuesToList();
        assertThat(out).extracting(Alert::getChange, Alert::getVersion).containsExactly(
                Tuple.tuple(AlertChange.FIRED, 1L), Tuple.tuple(AlertChange.RESOLVED, 2L),
                Tuple.tuple(AlertChange.FIRED, 3L));
        assertThat(out.get(2).getManualResolution()).isNull();
        assertThat(out.get(2).getStartsAt()).isEqualTo(T0.plusSeconds(3600));
    }

    @Test
    void shouldFireANewEpisodeWhenTheBreachEscalatesAfterAManualResolve() {
        pipe(breach(BreachStatus.FIRING, Severity.HIGH, 1, 0));
        commands.pipeInput(ID, command(AlertCommandType.RESOLVE, "ops-tj", 60, "Handled"));
        pipe(breach(BreachStatus.ESCALATED, Severity.CRITICAL, 2, 120));

        final List<Alert> out = alerts.readValuesToList();
        assertThat(out).extracting(Alert::getChange, Alert::getSeverity).containsExactly(
                Tuple.tuple(AlertChange.FIRED, Severity.HIGH), Tuple.tuple(AlertChange.RESOLVED, Severity.HIGH),
                Tuple.tuple(AlertChange.FIRED, Severity.CRITICAL));
        assertThat(out.get(2).getManualResolution()).isNull();
    }

    @Test
    void shouldIgnoreANoteAndAResolveWhenTheAlertIsUnknown() {
        commands.pipeInput("nope|TJ-KT|OTHER", command(AlertCommandType.NOTE, "ops-tj", 0, "hello"));
        commands.pipeInput("nope|TJ-KT|OTHER", command(AlertCommandType.RESOLVE, "ops-tj", 0, "gone"));

        assertThat(alerts.isEmpty()).isTrue();
    }

    @Test
    void shouldIgnoreACommandTypeItDoesNotKnowWhenANewerWriterSendsOne() {
        pipe(breach(BreachStatus.FIRING, Severity.HIGH, 1, 0));
        commands.pipeInput(ID, command(AlertCommandType.UNKNOWN, "ops-tj", 10, "from the future"));

        assertThat(alerts.readValuesToList()).extracting(Alert::getChange).containsExactly(AlertChange.FIRED);
    }

    // --- re-notification ---

    @Test
    void shouldRenotifyOnlyTheSubscriptionsWhoseIntervalElapsedWhenTheAlertStaysUnacknowledged() {
        subscribe("sub_a", Duration.ofMinutes(10), "TJ-*", Severity.LOW);
        subscribe("sub_b", Duration.ofMinutes(30), "TJ-*", Severity.LOW);
        subscribe("sub_never", Duration.ZERO, "TJ-*", Severity.LOW);
        pipe(breach(BreachStatus.FIRING, Severity.HIGH, 1, 0));
        alerts.readValuesToList();

        driver.advanceWallClockTime(Duration.ofMinutes(9).plusSeconds(50));
        assertThat(alerts.isEmpty()).as("nothing before the interval").isTrue();

        driver.advanceWallClockTime(Duration.ofSeconds(10)); // T0 + 10 min
        driver.advanceWallClockTime(Duration.ofMinutes(10)); // T0 + 20 min
        driver.advanceWallClockTime(Duration.ofMinutes(10)); // T0 + 30 min

        final List<Alert> out = alerts.readValuesToList();
        assertThat(out).extracting(Alert::getKind, Alert::getRenotified, Alert::getVersion).containsExactly(
                Tuple.tuple(AlertChangeKind.RENOTIFICATION, List.of("sub_a"), 2L),
                Tuple.tuple(AlertChangeKind.RENOTIFICATION, List.of("sub_a"), 3L),
                Tuple.tuple(AlertChangeKind.RENOTIFICATION, List.of("sub_a", "sub_b"), 4L));
        assertThat(out).allSatisfy(alert -> {
            assertThat(alert.getStatus()).isEqualTo(AlertStatus.FIRING);
            assertThat(alert.getChange()).isEqualTo(AlertChange.FIRED);
        });
        assertThat(out.get(0).getUpdatedAt()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
    }

    @Test
    void shouldRenotifyOncePerIntervalWhenPunctuationRunsMoreOftenThanTheInterval() {
        subscribe("sub_a", Duration.ofMinutes(1), "TJ-*", Severity.LOW);
        pipe(breach(BreachStatus.FIRING, Severity.HIGH, 1, 0));
        alerts.readValuesToList();

        for (int i = 0; i < 36; i++) { // 3 minutes in 5-second punctuations
            driver.advanceWallClockTime(CHECK);
        }

        assertThat(alerts.readValuesToList()).extracting(Alert::getUpdatedAt).containsExactly(
                T0.plus(Duration.ofMinutes(1)), T0.plus(Duration.ofMinutes(2)), T0.plus(Duration.ofMinutes(3)));
    }

    @Test
    void shouldNeverRenotifyWhenTheAlertIsAcknowledgedOrResolved() {
        final String other = "r2|TJ-KT|ARMED_INCURSION";
        final String manual = "r3|TJ-KT|ARMED_INCURSION";
        subscribe("sub_a", Duration.ofMinutes(10), "TJ-*", Severity.LOW);
        pipe(breach(BreachStatus.FIRING, Severity.HIGH, 1, 0));
        pipe(withId(breach(BreachStatus.FIRING, Severity.HIGH, 1, 0), other),
                withId(breach(BreachStatus.RESOLVED, Severity.HIGH, 2, 300), other));
        pipe(withId(breach(BreachStatus.FIRING, Severity.HIGH, 1, 0), manual));
        commands.pipeInput(ID, ack("ops-tj", 300));
        commands.pipeInput(manual, AlertCommand.newBuilder(command(AlertCommandType.RESOLVE, "ops-tj", 300, "done"))
                .setAlertId(manual).build());
        alerts.readValuesToList();

        driver.advanceWallClockTime(Duration.ofHours(2));

        assertThat(alerts.isEmpty()).isTrue();
    }

    @Test
    void shouldRestartTheClockWhenTheAlertEscalates() {
        subscribe("sub_a", Duration.ofMinutes(10), "TJ-*", Severity.LOW);
        pipe(breach(BreachStatus.FIRING, Severity.MEDIUM, 1, 0));
        driver.advanceWallClockTime(Duration.ofMinutes(8));
        pipe(breach(BreachStatus.ESCALATED, Severity.HIGH, 2, 8 * 60));
        alerts.readValuesToList();

        driver.advanceWallClockTime(Duration.ofMinutes(5)); // 13 min after firing, 5 after the escalation
        assertThat(alerts.isEmpty()).isTrue();
        driver.advanceWallClockTime(Duration.ofMinutes(5)); // 10 min after the escalation

        assertThat(alerts.readValuesToList()).extracting(Alert::getKind, Alert::getChange, Alert::getSeverity)
                .containsExactly(Tuple.tuple(AlertChangeKind.RENOTIFICATION, AlertChange.ESCALATED, Severity.HIGH));
    }

    @Test
    void shouldNotRenotifyWhenTheSubscriptionDoesNotMatchOrTheAlertIsSilenced() {
        subscribe("sub_uz", Duration.ofMinutes(1), "UZ-*", Severity.LOW);
        subscribe("sub_critical", Duration.ofMinutes(1), "TJ-*", Severity.CRITICAL);
        subscribe("sub_tj", Duration.ofMinutes(1), "TJ-*", Severity.LOW);
        silences.pipeInput("sil_1", Silence.newBuilder().setSilenceId("sil_1").setRegions(List.of("TJ-KT"))
                .setStartsAt(T0).setEndsAt(T0.plus(Duration.ofMinutes(30))).setCreatedBy("ops-tj")
                .setCreatedAt(T0).build());
        pipe(breach(BreachStatus.FIRING, Severity.HIGH, 1, 0));
        alerts.readValuesToList();

        driver.advanceWallClockTime(Duration.ofMinutes(29).plusSeconds(55));
        assertThat(alerts.isEmpty()).as("silenced").isTrue();
        driver.advanceWallClockTime(CHECK); // the silence ends

        assertThat(alerts.readValuesToList()).extracting(Alert::getRenotified).containsExactly(List.of("sub_tj"));
    }

    @Test
    void shouldStopRenotifyingASubscriptionWhenItIsDeleted() {
        subscribe("sub_a", Duration.ofMinutes(10), "TJ-*", Severity.LOW);
        pipe(breach(BreachStatus.FIRING, Severity.HIGH, 1, 0));
        driver.advanceWallClockTime(Duration.ofMinutes(10));
        subscriptions.pipeInput("sub_a", null);
        driver.advanceWallClockTime(Duration.ofMinutes(30));

        assertThat(alerts.readValuesToList()).extracting(Alert::getKind)
                .containsExactly(AlertChangeKind.STATE, AlertChangeKind.RENOTIFICATION);
    }

    @Test
    void shouldChangeNothingWhenBreachesAndCommandsAreReplayedAfterARenotification() {
        subscribe("sub_a", Duration.ofMinutes(10), "TJ-*", Severity.LOW);
        final Breach fired = breach(BreachStatus.FIRING, Severity.HIGH, 1, 0);
        final AlertCommand note = command(AlertCommandType.RESOLVE, "ops-tj", 60 * 15, "handled");
        pipe(fired);
        driver.advanceWallClockTime(Duration.ofMinutes(10));
        commands.pipeInput(ID, note);
        alerts.readValuesToList();

        pipe(fired);
        commands.pipeInput(ID, note);
        driver.advanceWallClockTime(Duration.ofMinutes(30));

        assertThat(alerts.isEmpty()).isTrue();
    }

    private void subscribe(final String id, final Duration interval, final String ownerRegion,
                           final Severity minSeverity) {
        subscriptions.pipeInput(id, Subscription.newBuilder().setSubscriptionId(id).setOwner("ops")
                .setOwnerRegions(List.of(ownerRegion)).setMinSeverity(minSeverity)
                .setChannel(SubscriptionChannel.WEBHOOK).setFormat(SubscriptionFormat.JSON)
                .setUrl("https://ops.example.org/hook")
                .setCreatedAt(T0.minus(Duration.ofHours(1))).setUpdatedAt(T0.minus(Duration.ofHours(1)))
                .setRepeatIntervalMillis(interval.toMillis()).build());
    }

    private static Breach withId(final Breach breach, final String id) {
        return Breach.newBuilder(breach).setBreachId(id).setRuleId(id.substring(0, id.indexOf('|'))).build();
    }

    private static AlertCommand command(final AlertCommandType type, final String by, final long secondsAfterStart,
                                        final String text) {
        return AlertCommand.newBuilder().setCommandId(UUID.randomUUID()).setAlertId(ID).setType(type).setBy(by)
                .setAt(T0.plusSeconds(secondsAfterStart)).setComment(text).build();
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
