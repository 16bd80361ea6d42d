package org.borderwatch.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.borderwatch.alert.support.AlertApp;
import org.borderwatch.alert.support.Breaches;
import org.borderwatch.testkit.SseClient;
import org.borderwatch.testkit.SseClient.SseEvent;
import org.borderwatch.avro.Breach;
import org.borderwatch.avro.ThreatType;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Server-Sent Events: ids, heartbeats, regions, formats, and exact resume with Last-Event-ID across a restart. */
class SseTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    private static EmbeddedKafkaCluster kafka;
    private static AlertApp app;
    private static Breaches breaches;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start();
        kafka.createTopics();
        app = AlertApp.start(kafka, dir);
        breaches = new Breaches(kafka.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        if (breaches != null) {
            breaches.close();
        }
        if (app != null) {
            app.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldStreamOnlyTheCallersRegionsWithIdsAndHeartbeatsWhenAlertsChange() {
        try (SseClient tj = SseClient.open(app.uri("/v1/alerts/stream?threatType=ARMED_INCURSION"),
                AlertApp.OPS_TJ_KEY, null)) {
            await().atMost(WAIT).until(() -> !tj.comments().isEmpty());
            final Breach inTj = Breaches.firing("r-sse", "TJ-GB", ThreatType.ARMED_INCURSION);
            final Breach inUz = Breaches.firing("r-sse", "UZ-SU", ThreatType.ARMED_INCURSION);

            breaches.send(inUz, inTj);

            await().atMost(WAIT).until(() -> tj.events().size() == 1);
            final SseEvent event = tj.events().get(0);
            assertThat(tj.status()).isEqualTo(200);
            assertThat(tj.contentType()).startsWith("text/event-stream");
            assertThat(event.event()).isEqualTo("alert");
            assertThat(event.id()).matches("\\d+(\\.\\d+){5}");
            final Map<String, Object> body = app.parse(event.data());
            assertThat(body).containsEntry("type", "alert.fired");
            assertThat(body.get("data")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                    .containsEntry("alertId", inTj.getBreachId());
            await().atMost(WAIT).until(() -> tj.comments().contains("heartbeat"));
        }
    }

    @Test
    void shouldDeliverTheAcknowledgementToStreamSubscribersWhenAnOpsCenterAcknowledges() {
        final Breach firing = Breaches.firing("r-sse-ack", "TJ-KT", ThreatType.ONLINE_RECRUITMENT);
        try (SseClient analyst = SseClient.open(app.uri("/v1/alerts/stream?threatType=ONLINE_RECRUITMENT"
                + "&format=cloudevents"), AlertApp.ANALYST_KEY, null)) {
            await().atMost(WAIT).until(() -> !analyst.comments().isEmpty());
            breaches.send(firing);
            await().atMost(WAIT).until(() -> analyst.events().size() == 1);

            assertThat(app.post("/v1/alerts/" + AlertApp.encode(firing.getBreachId()) + "/ack",
                    Map.of("comment", "seen"), AlertApp.OPS_TJ_KEY).statusCode()).isEqualTo(200);

            await().atMost(WAIT).until(() -> analyst.events().size() == 2);
            final Map<String, Object> ack = app.parse(analyst.events().get(1).data());
            assertThat(ack).containsEntry("specversion", "1.0").containsEntry("type",
                    "org.borderwatch.alert.acknowledged").containsEntry("subject", firing.getBreachId());
        }
    }

    @Test
    void shouldResumeExactlyAfterTheLastEventIdWhenTheServiceRestarted() {
        // Given a stream that saw three alerts fire
        final List<Breach> fired = List.of(
                Breaches.firing("r-resume-1", "TJ-KT", ThreatType.EXTREMIST_ACTIVITY),
                Breaches.firing("r-resume-2", "TJ-GB", ThreatType.EXTREMIST_ACTIVITY),
                Breaches.firing("r-resume-3", "TJ-SU", ThreatType.EXTREMIST_ACTIVITY));
        final String stream = "/v1/alerts/stream?threatType=EXTREMIST_ACTIVITY";
        final List<SseEvent> before;
        try (SseClient first = SseClient.open(app.uri(stream), AlertApp.OPS_TJ_KEY, null)) {
            await().atMost(WAIT).until(() -> !first.comments().isEmpty());
            fired.forEach(breaches::send);
            await().atMost(WAIT).until(() -> first.events().size() == 3);
            before = first.events();
        }

        // When the service restarts and two more changes happen while the client is away
        app = app.restart();
        final Breach fourth = Breaches.firing("r-resume-4", "TJ-KT", ThreatType.EXTREMIST_ACTIVITY);
        breaches.send(Breaches.resolved(fired.get(0), 2), fourth);

        // Then resuming after the second event gives the third and the two new ones, nothing else
        try (SseClient resumed = SseClient.open(app.uri(stream), AlertApp.OPS_TJ_KEY, before.get(1).id())) {
            await().atMost(WAIT).until(() -> resumed.events().size() >= 3);
            await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> resumed.events().size() == 3);
            assertThat(resumed.events()).extracting(e -> changeOf(e.data())).containsExactlyInAnyOrder(
                    changeOf(before.get(2).data()),
                    fired.get(0).getBreachId() + " RESOLVED",
                    fourth.getBreachId() + " FIRED");
        }
        // And resuming after the last event seen before the restart gives only the two new ones
        try (SseClient resumed = SseClient.open(app.uri(stream), AlertApp.OPS_TJ_KEY, before.get(2).id())) {
            await().atMost(WAIT).until(() -> resumed.events().size() >= 2);
            await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> resumed.events().size() == 2);
            assertThat(resumed.events()).extracting(e -> changeOf(e.data())).containsExactlyInAnyOrder(
                    fired.get(0).getBreachId() + " RESOLVED", fourth.getBreachId() + " FIRED");
            // And the ids keep counting from there: resuming from the newest id gives nothing again
            try (SseClient caughtUp = SseClient.open(app.uri(stream), AlertApp.OPS_TJ_KEY,
                    resumed.lastEventId())) {
                await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> caughtUp.events().isEmpty()
                        && !caughtUp.comments().isEmpty());
            }
        }
    }

    @Test
    void shouldAnswer401And403WhenTheCallerMayNotStream() {
        try (SseClient anonymous = SseClient.open(app.uri("/v1/alerts/stream"), null, null);
             SseClient agency = SseClient.open(app.uri("/v1/alerts/stream"), AlertApp.AGENCY_KEY, null)) {
            await().atMost(WAIT).until(() -> anonymous.ended() && agency.ended());
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(agency.status()).isEqualTo(403);
        }
    }

    @SuppressWarnings("unchecked")
    private static String changeOf(final String data) {
        final Map<String, Object> alert = (Map<String, Object>) app.parse(data).get("data");
        return alert.get("alertId") + " " + alert.get("change");
    }
}
