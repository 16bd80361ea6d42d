package org.borderwatch.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.borderwatch.alert.support.AlertApp;
import org.borderwatch.alert.support.Breaches;
import org.borderwatch.alert.support.CapSchema;
import org.borderwatch.avro.Breach;
import org.borderwatch.avro.BreachStatus;
import org.borderwatch.avro.Severity;
import org.borderwatch.avro.ThreatType;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Breaches become alerts on the log; the API shows them, their history and acknowledgements. */
class AlertApiTest {

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
    void shouldKeepEveryChangeInTheHistoryWhenAnAlertFiresEscalatesAndResolves() {
        final Breach firing = Breaches.firing("r-history", "TJ-KT", ThreatType.ARMED_INCURSION);
        final Breach again = Breaches.breach("r-history", "TJ-KT", ThreatType.ARMED_INCURSION, BreachStatus.FIRING,
                Severity.HIGH, 2);
        final Breach escalated = Breaches.breach("r-history", "TJ-KT", ThreatType.ARMED_INCURSION,
                BreachStatus.ESCALATED, Severity.CRITICAL, 3);

        breaches.send(firing, again, escalated);
        breaches.send(Breaches.resolved(firing, 4));

        final String path = "/v1/alerts/" + AlertApp.encode(firing.getBreachId());
        await().atMost(WAIT).untilAsserted(() -> assertThat(app.list(app.get(path, AlertApp.OPS_TJ_KEY), "history"))
                .extracting(change -> change.get("change")).containsExactly("FIRED", "ESCALATED", "RESOLVED"));
        final Map<String, Object> body = app.body(app.get(path, AlertApp.OPS_TJ_KEY));
        @SuppressWarnings("unchecked") final Map<String, Object> alert = (Map<String, Object>) body.get("alert");
        assertThat(alert).containsEntry("alertId", "r-history|TJ-KT|ARMED_INCURSION").containsEntry("status", "RESOLVED")
                .containsEntry("severity", "CRITICAL").containsEntry("version", 3).containsEntry("escalationLevel", 1);
        assertThat(alert.get("endsAt")).isNotNull();
    }

    @Test
    void shouldNotFireWhenTheBreachTransactionWasAborted() {
        final Breach aborted = Breaches.firing("r-aborted", "TJ-KT", ThreatType.GOODS_SMUGGLING);
        final Breach committed = Breaches.firing("r-committed", "TJ-KT", ThreatType.GOODS_SMUGGLING);

        breaches.sendAborted(aborted);
        breaches.send(committed);

        final String committedPath = "/v1/alerts/" + AlertApp.encode(committed.getBreachId());
        await().atMost(WAIT).until(() -> app.get(committedPath, AlertApp.ADMIN_KEY).statusCode() == 200);
        assertThat(app.get("/v1/alerts/" + AlertApp.encode(aborted.getBreachId()), AlertApp.ADMIN_KEY).statusCode())
                .isEqualTo(404);
    }

    @Test
    void shouldFilterTheListWhenStatusRegionAndThreatTypeAreGiven() {
        final Breach kt = Breaches.firing("r-filter", "TJ-KT", ThreatType.HUMAN_TRAFFICKING);
        final Breach gb = Breaches.firing("r-filter", "TJ-GB", ThreatType.HUMAN_TRAFFICKING);
        final Breach other = Breaches.firing("r-filter", "TJ-GB", ThreatType.WEAPONS_SMUGGLING);
        breaches.send(kt, gb, other);
        breaches.send(Breaches.resolved(other, 2));

        await().atMost(WAIT).untilAsserted(() -> assertThat(app.list(app.get(
                "/v1/alerts?region=TJ-*&threatType=HUMAN_TRAFFICKING,WEAPONS_SMUGGLING&status=FIRING",
                AlertApp.ANALYST_KEY), "alerts")).extracting(a -> a.get("alertId")).contains(kt.getBreachId(),
                gb.getBreachId()).doesNotContain(other.getBreachId()));
        assertThat(app.list(app.get("/v1/alerts?region=TJ-GB&status=RESOLVED", AlertApp.ANALYST_KEY), "alerts"))
                .extracting(a -> a.get("alertId")).contains(other.getBreachId()).doesNotContain(kt.getBreachId());
    }

    @Test
    void shouldAnswer422NamingEveryBadParameterWhenTheFilterIsInvalid() {
        final HttpResponse<String> response = app.get("/v1/alerts?region=tajik&threatType=ALIENS&status=MAYBE",
                AlertApp.ANALYST_KEY);

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(app.list(response, "errors")).extracting(e -> e.get("field"))
                .containsExactlyInAnyOrder("region", "threatType", "status");
    }

    @Test
    void shouldRecordWhoAcknowledgedWithTheCommentWhenAnOpsCenterAcknowledges() {
        final Breach firing = Breaches.firing("r-ack", "TJ-KT", ThreatType.ILLEGAL_CROSSING);
        breaches.send(firing);
        final String path = "/v1/alerts/" + AlertApp.encode(firing.getBreachId());
        await().atMost(WAIT).until(() -> app.get(path, AlertApp.OPS_TJ_KEY).statusCode() == 200);

        final HttpResponse<String> response = app.post(path + "/ack", Map.of("comment", "Patrol dispatched"),
                AlertApp.OPS_TJ_KEY);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(app.body(response)).containsEntry("change", "ACKNOWLEDGED").containsEntry("version", 2)
                .containsEntry("status", "FIRING");
        @SuppressWarnings("unchecked") final Map<String, Object> ack =
                (Map<String, Object>) app.body(response).get("acknowledgement");
        assertThat(ack).containsEntry("by", "ops-tj").containsEntry("comment", "Patrol dispatched");
        final HttpResponse<String> again = app.post(path + "/ack", Map.of(), AlertApp.ADMIN_KEY);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(app.body(again).get("detail").toString()).contains("already acknowledged by ops-tj");
    }

    @Test
    void shouldServeTheAlertWhenItsIdIsSentWithARawPipe() throws Exception {
        final Breach firing = Breaches.firing("r-raw-pipe", "TJ-KT", ThreatType.ILLEGAL_CROSSING);
        breaches.send(firing);
        await().atMost(WAIT).until(() -> app.get("/v1/alerts/" + AlertApp.encode(firing.getBreachId()),
                AlertApp.OPS_TJ_KEY).statusCode() == 200);

        // As curl sends it: "GET /v1/alerts/r-raw-pipe|TJ-KT|ILLEGAL_CROSSING HTTP/1.1", no %7C
        try (Socket socket = new Socket("127.0.0.1", app.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /v1/alerts/" + firing.getBreachId() + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nX-API-Key: " + AlertApp.OPS_TJ_KEY + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            final String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(response).startsWith("HTTP/1.1 200").contains("\"alertId\":\"" + firing.getBreachId() + "\"");
        }
    }

    @Test
    void shouldAnswer409WhenTheAlertIsResolved() {
        final Breach firing = Breaches.firing("r-ack-resolved", "TJ-KT", ThreatType.ILLEGAL_CROSSING);
        breaches.send(firing);
        breaches.send(Breaches.resolved(firing, 2));
        final String path = "/v1/alerts/" + AlertApp.encode(firing.getBreachId());
        await().atMost(WAIT).until(() -> app.get(path, AlertApp.OPS_TJ_KEY).body().contains("\"RESOLVED\""));

        assertThat(app.post(path + "/ack", Map.of(), AlertApp.OPS_TJ_KEY).statusCode()).isEqualTo(409);
    }

    @Test
    void shouldShowEachPrincipalOnlyTheAlertsOfItsRegionsWhenListingReadingAndAcknowledging() {
        // Given one alert in each of three countries
        final Breach tj = Breaches.firing("r-matrix", "TJ-KT", ThreatType.DRUG_TRAFFICKING);
        final Breach uz = Breaches.firing("r-matrix", "UZ-SU", ThreatType.DRUG_TRAFFICKING);
        final Breach kg = Breaches.firing("r-matrix", "KG-B", ThreatType.DRUG_TRAFFICKING);
        breaches.send(tj, uz, kg);
        await().atMost(WAIT).untilAsserted(() -> assertThat(app.list(app.get("/v1/alerts?threatType="
                + "DRUG_TRAFFICKING", AlertApp.ADMIN_KEY), "alerts")).hasSizeGreaterThanOrEqualTo(3));

        // Then each role sees exactly its regions, on the list, on one alert, on CAP and on ack
        final Map<String, List<Breach>> visible = Map.of(
                AlertApp.OPS_TJ_KEY, List.of(tj),
                AlertApp.OPS_UZ_KEY, List.of(uz),
                AlertApp.ANALYST_KEY, List.of(tj, uz, kg),
                AlertApp.ADMIN_KEY, List.of(tj, uz, kg));
        visible.forEach((key, expected) -> {
            assertThat(app.list(app.get("/v1/alerts?threatType=DRUG_TRAFFICKING", key), "alerts"))
                    .extracting(a -> a.get("alertId"))
                    .containsExactlyInAnyOrderElementsOf(expected.stream().map(Breach::getBreachId).toList());
            for (final Breach breach : List.of(tj, uz, kg)) {
                final String path = "/v1/alerts/" + AlertApp.encode(breach.getBreachId());
                final int status = expected.contains(breach) ? 200 : 404;
                assertThat(app.get(path, key).statusCode()).as("GET %s", path).isEqualTo(status);
                assertThat(app.get(path + "/cap", key).statusCode()).as("GET %s/cap", path).isEqualTo(status);
            }
        });
        assertThat(app.post("/v1/alerts/" + AlertApp.encode(tj.getBreachId()) + "/ack", Map.of(),
                AlertApp.OPS_UZ_KEY).statusCode()).isEqualTo(404);
        assertThat(app.post("/v1/alerts/" + AlertApp.encode(tj.getBreachId()) + "/ack", Map.of(),
                AlertApp.ANALYST_KEY).statusCode()).isEqualTo(403);
        assertThat(app.get("/v1/alerts", AlertApp.AGENCY_KEY).statusCode()).isEqualTo(403);
        assertThat(app.get("/v1/alerts", null).statusCode()).isEqualTo(401);
    }

    @Test
    void shouldServeAValidCapMessageWhenAskedForTheCapOfAnAlert() {
        final Breach firing = Breaches.firing("r-cap", "TJ-GB", ThreatType.WEAPONS_SMUGGLING);
        breaches.send(firing);
        final String path = "/v1/alerts/" + AlertApp.encode(firing.getBreachId()) + "/cap";
        await().atMost(WAIT).until(() -> app.get(path, AlertApp.OPS_TJ_KEY).statusCode() == 200);

        final HttpResponse<String> response = app.get(path, AlertApp.OPS_TJ_KEY);

        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/xml"));
        CapSchema.validate(response.body());
        assertThat(response.body()).contains("<areaDesc>Gorno-Badakhshan (TJ-GB)</areaDesc>",
                "<circle>37.4897,71.5531 0</circle>");
    }

    @Test
    void shouldKeepNotesAndTheManualResolveInTheHistoryWhenAnOpsCenterWritesThem() {
        final Breach firing = Breaches.firing("r-notes", "TJ-KT", ThreatType.ARMED_INCURSION);
        breaches.send(firing);
        final String path = "/v1/alerts/" + AlertApp.encode(firing.getBreachId());
        await().atMost(WAIT).until(() -> app.get(path, AlertApp.OPS_TJ_KEY).statusCode() == 200);

        final HttpResponse<String> note = app.post(path + "/notes", Map.of("text", "Patrol sent to the ford"),
                AlertApp.OPS_TJ_KEY);
        final HttpResponse<String> resolved = app.post(path + "/resolve",
                Map.of("reason", "Joint exercise announced by the Afghan side"), AlertApp.ADMIN_KEY);
        final HttpResponse<String> again = app.post(path + "/resolve", Map.of("reason", "twice"),
                AlertApp.OPS_TJ_KEY);
        final HttpResponse<String> late = app.post(path + "/notes", Map.of("text", "Debrief filed"),
                AlertApp.OPS_TJ_KEY);

        assertThat(note.statusCode()).as(note.body()).isEqualTo(201);
        assertThat(app.body(note)).containsEntry("kind", "NOTE").containsEntry("status", "FIRING")
                .containsEntry("version", 2);
        assertThat(resolved.statusCode()).as(resolved.body()).isEqualTo(200);
        assertThat(app.body(resolved)).containsEntry("change", "RESOLVED").containsEntry("status", "RESOLVED");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(app.body(again).get("detail").toString()).contains("already resolved");
        assertThat(late.statusCode()).as("a note after the resolve").isEqualTo(201);
        final List<Map<String, Object>> history = app.list(app.get(path, AlertApp.ANALYST_KEY), "history");
        assertThat(history).extracting(change -> change.get("kind"), change -> change.get("change")).containsExactly(
                org.assertj.core.groups.Tuple.tuple("STATE", "FIRED"),
                org.assertj.core.groups.Tuple.tuple("NOTE", "FIRED"),
                org.assertj.core.groups.Tuple.tuple("STATE", "RESOLVED"),
                org.assertj.core.groups.Tuple.tuple("NOTE", "RESOLVED"));
        @SuppressWarnings("unchecked") final Map<String, Object> written =
                (Map<String, Object>) history.get(1).get("note");
        assertThat(written).containsEntry("by", "ops-tj").containsEntry("text", "Patrol sent to the ford");
        @SuppressWarnings("unchecked") final Map<String, Object> resolution =
                (Map<String, Object>) history.get(2).get("manualResolution");
        assertThat(resolution).containsEntry("by", "root")
                .containsEntry("reason", "Joint exercise announced by the Afghan side");
    }

    @Test
    void shouldRefuseNotesAndResolvesOutsideTheCallersRegionsOrRole() {
        final Breach firing = Breaches.firing("r-notes-regions", "TJ-KT", ThreatType.ARMED_INCURSION);
        breaches.send(firing);
        final String path = "/v1/alerts/" + AlertApp.encode(firing.getBreachId());
        await().atMost(WAIT).until(() -> app.get(path, AlertApp.OPS_TJ_KEY).statusCode() == 200);

        assertThat(app.post(path + "/notes", Map.of("text", "x"), AlertApp.OPS_UZ_KEY).statusCode()).isEqualTo(404);
        assertThat(app.post(path + "/resolve", Map.of("reason", "x"), AlertApp.OPS_UZ_KEY).statusCode())
                .isEqualTo(404);
        assertThat(app.post(path + "/notes", Map.of("text", "x"), AlertApp.ANALYST_KEY).statusCode()).isEqualTo(403);
        assertThat(app.post(path + "/resolve", Map.of("reason", "x"), AlertApp.ANALYST_KEY).statusCode())
                .isEqualTo(403);
        assertThat(app.post(path + "/notes", Map.of("text", "x"), AlertApp.AGENCY_KEY).statusCode()).isEqualTo(403);
        final HttpResponse<String> noReason = app.post(path + "/resolve", Map.of("reason", " "), AlertApp.OPS_TJ_KEY);
        assertThat(noReason.statusCode()).isEqualTo(422);
        assertThat(app.list(noReason, "errors")).extracting(e -> e.get("field"), e -> e.get("rule"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("reason", "required"));
        final HttpResponse<String> longNote = app.post(path + "/notes", Map.of("text", "n".repeat(2001)),
                AlertApp.OPS_TJ_KEY);
        assertThat(longNote.statusCode()).isEqualTo(422);
        assertThat(app.list(app.get(path, AlertApp.OPS_TJ_KEY), "history")).as("nothing was written").hasSize(1);
    }

    @Test
    void shouldReportReadyAndServeMetricsAndOpenApiWhenRunning() {
        assertThat(app.get("/health", null).statusCode()).isEqualTo(200);
        assertThat(app.get("/prometheus", null).body()).contains("borderwatch_alert_sse_connections");
        assertThat(app.get("/swagger/borderwatch-alert-0.1.yml", null).body())
                .contains("/v1/alerts/{alertId}/ack", "/v1/alerts/stream");
    }
}
