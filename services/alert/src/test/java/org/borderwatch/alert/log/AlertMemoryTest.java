package org.borderwatch.alert.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.borderwatch.alert.support.AlertApp;
import org.borderwatch.alert.support.Breaches;
import org.borderwatch.avro.Alert;
import org.borderwatch.avro.AlertChange;
import org.borderwatch.avro.AlertChangeKind;
import org.borderwatch.avro.AlertNote;
import org.borderwatch.avro.AlertStatus;
import org.borderwatch.avro.Breach;
import org.borderwatch.avro.Metric;
import org.borderwatch.avro.Severity;
import org.borderwatch.avro.ThreatType;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.borderwatch.schemas.Topics;
import org.borderwatch.testkit.SseClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert service's memory stays bounded as the alert log grows: a tail of {@value #TAIL} changes and at most
 * {@value #MAX_ALERTS} alert states, while SSE resumes from older positions, histories and firing alerts are still
 * served — from the log and the lifecycle's store on the real broker.
 */
class AlertMemoryTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int TAIL = 20;
    private static final int MAX_ALERTS = 10;
    private static final int VERSIONS = 5;

    @TempDir
    static Path dir;

    private static EmbeddedKafkaCluster kafka;
    private static AlertApp app;
    private static KafkaProducer<String, Alert> producer;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start();
        kafka.createTopics();
        final Map<String, Object> properties = AlertApp.freshProperties(kafka, dir);
        properties.put("borderwatch.alert.memory.tail", TAIL);
        properties.put("borderwatch.alert.memory.max-alerts", MAX_ALERTS);
        app = AlertApp.start(properties);
        final Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(config, Topics.ALERTS.keySerde().serializer(),
                Topics.ALERTS.valueSerde().serializer());
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close();
        }
        if (app != null) {
            app.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldResumeEveryChangeOnceInOrderThenContinueLiveWhenPositionIsOlderThanTheTail() {
        // Given 60 alerts with 5 changes each in the log, far more than the tail of 20 holds
        final LogPosition before = app.bean(AlertLog.class).end();
        final List<String> written = writeAlerts("resume", 60);
        awaitRead(written.size(), before);
        assertThat(app.bean(AlertLog.class).retainedChanges()).isEqualTo(TAIL);
        assertThat(app.bean(AlertLog.class).retainedAlerts()).isLessThanOrEqualTo(MAX_ALERTS);

        // When a client resumes from the position before them
        try (SseClient client = SseClient.open(app.uri("/v1/alerts/stream"), AlertApp.ANALYST_KEY, before.id())) {
            await().atMost(WAIT).until(() -> changes(client, "resume").size() >= written.size());

            // Then it gets each of them once, every alert's changes in version order
            assertThat(changes(client, "resume")).containsExactlyInAnyOrderElementsOf(written);
            assertVersionOrderPerAlert(changes(client, "resume"));
            assertIdsIncreasePerPartition(client);

            // and then the live changes after them, once each
            final List<String> live = writeAlerts("live", 3);
            await().atMost(WAIT).until(() -> changes(client, "live").size() >= live.size());
            assertThat(changes(client, "live")).containsExactlyInAnyOrderElementsOf(live);
            assertVersionOrderPerAlert(changes(client, "live"));
            assertThat(changes(client, "resume")).hasSize(written.size());

            // A second client resuming from the middle of the first one's stream gets exactly what followed
            final List<SseClient.SseEvent> events = client.events();
            final int middle = written.size() / 2;
            try (SseClient second = SseClient.open(app.uri("/v1/alerts/stream"), AlertApp.ANALYST_KEY,
                    events.get(middle - 1).id())) {
                final List<String> expected = events.subList(middle, events.size()).stream()
                        .map(this::change).toList();
                await().atMost(WAIT).until(() -> second.events().size() >= expected.size());
                assertThat(second.events().stream().map(this::change).toList())
                        .containsExactlyInAnyOrderElementsOf(expected);
            }
        }
        assertThat(app.bean(AlertLog.class).retainedChanges()).isEqualTo(TAIL);
        await().atMost(WAIT).until(() -> app.bean(AlertLog.class).resumesReading() == 0);
    }

    @Test
    void shouldAnswerAlertHistoryFromTheLogWhenTheAlertIsNoLongerInMemory() {
        final LogPosition before = app.bean(AlertLog.class).end();
        final List<String> written = writeAlerts("history", 40);
        awaitRead(written.size(), before);
        final String oldest = alertOf(written.get(0));
        // The tail never holds a first change here: in each partition all of them come before the later ones.
        assertThat(app.bean(AlertLog.class).recentHistory(oldest))
                .noneMatch(change -> change.alert().getVersion() == 1);

        final var response = app.get("/v1/alerts/" + AlertApp.encode(oldest), AlertApp.OPS_TJ_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        final List<Map<String, Object>> history = app.list(response, "history");
        assertThat(history).extracting(change -> ((Number) change.get("version")).intValue())
                .containsExactly(1, 2, 3, 4, 5);
        assertThat(history).allSatisfy(change -> assertThat(change.get("position")).asString().matches("\\d+:\\d+"));
        assertThat(app.get("/v1/alerts/" + AlertApp.encode(oldest), AlertApp.OPS_UZ_KEY).statusCode())
                .isEqualTo(404);
        assertThat(app.get("/v1/alerts/" + AlertApp.encode("never|TJ-GB|OTHER"), AlertApp.OPS_TJ_KEY)
                .statusCode()).isEqualTo(404);
        assertThat(app.list(app.get("/v1/alerts?limit=1000", AlertApp.ANALYST_KEY), "alerts"))
                .hasSizeLessThanOrEqualTo(MAX_ALERTS);
    }

    @Test
    void shouldKeepFiringAlertsFromTheLifecycleStoreWhenRestartedAfterManyResolvedChanges() {
        // Given an alert fired by the lifecycle, then 300 changes of resolved alerts after it
        final Breach firing = Breaches.firing("memory-rule", "TJ-KT", ThreatType.ARMED_INCURSION);
        try (Breaches breaches = new Breaches(kafka.bootstrapServers())) {
            breaches.send(firing);
        }
        await().atMost(WAIT).until(() -> app.bean(AlertLog.class).current(firing.getBreachId()).isPresent());
        final LogPosition before = app.bean(AlertLog.class).end();
        final List<String> written = writeAlerts("restart", 60);
        awaitRead(written.size(), before);

        // When the service restarts
        app = app.restart();

        // Then it read only the tail of the log, kept at most max-alerts, and the firing one is among them
        assertThat(app.bean(AlertLog.class).retainedChanges()).isLessThanOrEqualTo(TAIL);
        assertThat(app.bean(AlertLog.class).retainedAlerts()).isLessThanOrEqualTo(MAX_ALERTS);
        final var firingNow = app.list(app.get("/v1/alerts?status=FIRING&limit=1000", AlertApp.ANALYST_KEY),
                "alerts");
        assertThat(firingNow).extracting(alert -> alert.get("alertId")).contains(firing.getBreachId());
    }

    /** Writes {@code alerts} alerts of 5 changes each (fired, escalated, acknowledged, a note, resolved). */
    private static List<String> writeAlerts(final String prefix, final int alerts) {
        final List<String> written = new ArrayList<>();
        final Instant start = Instant.now().minusSeconds(60);
        for (int version = 1; version <= VERSIONS; version++) {
            for (int i = 0; i < alerts; i++) {
                final Alert change = change(prefix + "-" + i + "|TJ-GB|ARMED_INCURSION", prefix, version, start);
                producer.send(new ProducerRecord<>(Topics.ALERTS.name(), change.getAlertId(), change));
                written.add(change.getAlertId() + "#" + version);
            }
        }
        producer.flush();
        return written;
    }

    static Alert change(final String alertId, final String ruleId, final int version, final Instant start) {
        final Instant at = start.plusSeconds(version);
        final AlertChange kind = switch (version) {
            case 1 -> AlertChange.FIRED;
            case 2 -> AlertChange.ESCALATED;
            case 3, 4 -> AlertChange.ACKNOWLEDGED;
            default -> AlertChange.RESOLVED;
        };
        return Alert.newBuilder()
                .setAlertId(alertId).setRuleId(ruleId).setRegion("TJ-GB").setThreatType(ThreatType.ARMED_INCURSION)
                .setStatus(version == VERSIONS ? AlertStatus.RESOLVED : AlertStatus.FIRING)
                .setChange(kind).setKind(version == 4 ? AlertChangeKind.NOTE : AlertChangeKind.STATE)
                .setNote(version == 4 ? AlertNote.newBuilder().setBy("ops-tj").setAt(at).setText("patrol sent")
                        .build() : null)
                .setSeverity(version == 1 ? Severity.HIGH : Severity.CRITICAL).setMetric(Metric.EVENT_COUNT)
                .setObservedValue(3 + version).setThreshold(3).setWindow("PT1H")
                .setStartsAt(start).setUpdatedAt(at).setEndsAt(version == VERSIONS ? at : null)
                .setVersion(version).setEscalationLevel(version == 1 ? 0 : 1)
                .build();
    }

    private static void awaitRead(final int records, final LogPosition before) {
        await().atMost(WAIT).until(() -> {
            final LogPosition end = app.bean(AlertLog.class).end();
            long read = 0;
            for (int p = 0; p < app.bean(AlertLog.class).partitions(); p++) {
                read += end.next(p) - before.next(p);
            }
            return read >= records;
        });
    }

    private List<String> changes(final SseClient client, final String prefix) {
        return client.events().stream().map(this::change).filter(change -> change.startsWith(prefix + "-"))
                .toList();
    }

    @SuppressWarnings("unchecked")
    private String change(final SseClient.SseEvent event) {
        final Map<String, Object> data = (Map<String, Object>) app.parse(event.data()).get("data");
        return data.get("alertId") + "#" + ((Number) data.get("version")).intValue();
    }

    private static String alertOf(final String change) {
        return change.substring(0, change.indexOf('#'));
    }

    private static int versionOf(final String change) {
        return Integer.parseInt(change.substring(change.indexOf('#') + 1));
    }

    /** Every alert's changes arrive as versions 1, 2, 3, … in this order. */
    private static void assertVersionOrderPerAlert(final List<String> changes) {
        final Map<String, List<Integer>> versions = new HashMap<>();
        changes.forEach(change -> versions.computeIfAbsent(alertOf(change), id -> new ArrayList<>())
                .add(versionOf(change)));
        versions.forEach((alert, seen) -> assertThat(seen).as(alert)
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, seen.size()).boxed().toList()));
    }

    /** Each event's id is the position after it: per partition, no id ever goes back. */
    private static void assertIdsIncreasePerPartition(final SseClient client) {
        final Map<Integer, Long> last = new HashMap<>();
        for (final SseClient.SseEvent event : client.events()) {
            final String[] next = event.id().split("\\.");
            for (int p = 0; p < next.length; p++) {
                final long offset = Long.parseLong(next[p]);
                assertThat(offset).as("partition %d in %s", p, event.id())
                        .isGreaterThanOrEqualTo(last.getOrDefault(p, 0L));
                last.put(p, offset);
            }
        }
    }
}
