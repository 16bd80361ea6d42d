package org.borderwatch.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.borderwatch.alert.support.AlertApp;
import org.borderwatch.alert.support.Breaches;
import org.borderwatch.testkit.SseClient;
import org.borderwatch.testkit.WebhookReceiver;
import org.borderwatch.avro.Breach;
import org.borderwatch.avro.ThreatType;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Silences suppress notifications, never records; they expire; a notified alert's resolve still goes out. */
class SilenceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    private static EmbeddedKafkaCluster kafka;
    private static AlertApp app;
    private static Breaches breaches;
    private static WebhookReceiver receiver;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start();
        kafka.createTopics();
        app = AlertApp.start(kafka, dir);
        breaches = new Breaches(kafka.bootstrapServers());
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stop() {
        if (receiver != null) {
            receiver.close();
        }
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
    void shouldSuppressNotificationsButKeepTheAlertWhenASilenceMatches() {
        subscribe("/silenced", ThreatType.ARMED_INCURSION);
        silence(Map.of("regions", List.of("TJ-KT"), "threatTypes", List.of("ARMED_INCURSION"),
                "endsAt", Instant.now().plusSeconds(3600).toString(), "comment", "known exercise"));
        try (SseClient stream = SseClient.open(app.uri("/v1/alerts/stream?threatType=ARMED_INCURSION"),
                AlertApp.OPS_TJ_KEY, null)) {
            await().atMost(WAIT).until(() -> !stream.comments().isEmpty());
            final Breach silenced = Breaches.firing("r-silence", "TJ-KT", ThreatType.ARMED_INCURSION);
            final Breach loud = Breaches.firing("r-silence", "TJ-GB", ThreatType.ARMED_INCURSION);

            breaches.send(silenced);
            breaches.send(loud);

            await().atMost(WAIT).until(() -> receiver.received("/silenced").size() == 1
                    && stream.events().size() == 1);
            assertThat(receiver.received("/silenced").get(0).body()).contains(loud.getBreachId());
            assertThat(stream.events().get(0).data()).contains(loud.getBreachId());
            assertThat(app.get("/v1/alerts/" + AlertApp.encode(silenced.getBreachId()), AlertApp.OPS_TJ_KEY)
                    .statusCode()).isEqualTo(200);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldShowTheSilenceOnTheAlertsItMutesWhenTheyAreRead() {
        final String endsAt = Instant.now().plusSeconds(7200).truncatedTo(ChronoUnit.SECONDS).toString();
        final String id = (String) silence(Map.of("regions", List.of("TJ-GB"), "threatTypes",
                List.of("HUMAN_TRAFFICKING"), "endsAt", endsAt, "comment", "border exercise")).get("silenceId");
        final Breach muted = Breaches.firing("r-silenced-by", "TJ-GB", ThreatType.HUMAN_TRAFFICKING);
        final Breach other = Breaches.firing("r-silenced-by", "TJ-KT", ThreatType.HUMAN_TRAFFICKING);
        breaches.send(muted, other);
        final String path = "/v1/alerts/" + AlertApp.encode(muted.getBreachId());
        await().atMost(WAIT).until(() -> app.get("/v1/alerts/" + AlertApp.encode(other.getBreachId()),
                AlertApp.OPS_TJ_KEY).statusCode() == 200 && app.get(path, AlertApp.OPS_TJ_KEY).statusCode() == 200);

        final Map<String, Object> alert = (Map<String, Object>) app.body(app.get(path, AlertApp.ANALYST_KEY))
                .get("alert");
        final List<Map<String, Object>> listed = app.list(app.get("/v1/alerts?threatType=HUMAN_TRAFFICKING"
                + "&region=TJ-GB,TJ-KT", AlertApp.OPS_TJ_KEY), "alerts");

        assertThat((List<Map<String, Object>>) alert.get("silencedBy")).containsExactly(Map.of("silenceId", id,
                "endsAt", endsAt, "comment", "border exercise"));
        assertThat(listed).filteredOn(a -> a.get("alertId").equals(muted.getBreachId()))
                .singleElement().satisfies(a -> assertThat((List<?>) a.get("silencedBy")).hasSize(1));
        assertThat(listed).filteredOn(a -> a.get("alertId").equals(other.getBreachId()))
                .singleElement().satisfies(a -> assertThat((List<?>) a.get("silencedBy")).isEmpty());

        app.delete("/v1/silences/" + id, AlertApp.OPS_TJ_KEY);
        final Map<String, Object> after = (Map<String, Object>) app.body(app.get(path, AlertApp.OPS_TJ_KEY))
                .get("alert");
        assertThat((List<?>) after.get("silencedBy")).as("an expired silence no longer mutes").isEmpty();
    }

    @Test
    void shouldNotifyAgainWhenTheSilenceIsExpired() {
        subscribe("/expired", ThreatType.EXTREMIST_ACTIVITY);
        final String id = (String) silence(Map.of("threatTypes", List.of("EXTREMIST_ACTIVITY"),
                "endsAt", Instant.now().plusSeconds(3600).toString())).get("silenceId");
        breaches.send(Breaches.firing("r-expire-1", "TJ-KT", ThreatType.EXTREMIST_ACTIVITY));
        await().atMost(WAIT).until(() -> app.get("/v1/alerts/" + AlertApp.encode("r-expire-1|TJ-KT|EXTREMIST_ACTIVITY"),
                AlertApp.OPS_TJ_KEY).statusCode() == 200);

        final HttpResponse<String> expired = app.delete("/v1/silences/" + id, AlertApp.OPS_TJ_KEY);
        assertThat(expired.statusCode()).isEqualTo(200);
        assertThat(app.body(expired)).containsEntry("expiredBy", "ops-tj");
        assertThat(app.list(app.get("/v1/silences?active=true", AlertApp.OPS_TJ_KEY), "silences"))
                .extracting(s -> s.get("silenceId")).doesNotContain(id);
        breaches.send(Breaches.firing("r-expire-2", "TJ-KT", ThreatType.EXTREMIST_ACTIVITY));

        await().atMost(WAIT).until(() -> receiver.received("/expired").size() == 1);
        assertThat(receiver.received("/expired").get(0).body()).contains("r-expire-2");
    }

    @Test
    void shouldStillDeliverTheResolveOfANotifiedAlertWhenItResolvesDuringASilence() {
        subscribe("/resolve", ThreatType.DRUG_TRAFFICKING);
        final Breach notified = Breaches.firing("r-resolve", "TJ-KT", ThreatType.DRUG_TRAFFICKING);
        breaches.send(notified);
        await().atMost(WAIT).until(() -> receiver.received("/resolve").size() == 1);
        silence(Map.of("threatTypes", List.of("DRUG_TRAFFICKING"), "endsAt",
                Instant.now().plusSeconds(3600).toString()));
        final Breach unnoticed = Breaches.firing("r-resolve-quiet", "TJ-KT", ThreatType.DRUG_TRAFFICKING);
        breaches.send(unnoticed);

        breaches.send(Breaches.resolved(unnoticed, 2), Breaches.resolved(notified, 2));

        await().atMost(WAIT).until(() -> receiver.received("/resolve").size() == 2);
        assertThat(app.parse(receiver.received("/resolve").get(1).body())).containsEntry("type", "alert.resolved");
        assertThat(receiver.received("/resolve").get(1).body()).contains(notified.getBreachId());
        await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> receiver.received("/resolve").size() == 2);
    }

    @Test
    void shouldRefuseSilencingOtherRegionsWhenAnOpsCenterTries() {
        final HttpResponse<String> response = app.post("/v1/silences", Map.of("regions", List.of("KG-B"),
                "endsAt", Instant.now().plusSeconds(60).toString()), AlertApp.OPS_TJ_KEY);

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(app.list(response, "errors")).extracting(e -> e.get("rule"))
                .containsExactly("outside-credential-regions");
        assertThat(app.post("/v1/silences", Map.of("endsAt", Instant.now().plusSeconds(60).toString()),
                AlertApp.ANALYST_KEY).statusCode()).isEqualTo(403);
    }

    private static void subscribe(final String path, final ThreatType threatType) {
        final HttpResponse<String> response = app.post("/v1/subscriptions", Map.of("channel", "webhook",
                "url", receiver.url(path), "threatTypes", List.of(threatType.name())), AlertApp.OPS_TJ_KEY);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private static Map<String, Object> silence(final Map<String, Object> request) {
        final HttpResponse<String> response = app.post("/v1/silences", request, AlertApp.OPS_TJ_KEY);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return app.body(response);
    }
}
