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

import org.assertj.core.groups.Tuple;
import org.borderwatch.alert.support.AlertApp;
import org.borderwatch.alert.support.AlertStack;
import org.borderwatch.alert.support.Breaches;
import org.borderwatch.testkit.WebhookReceiver;
import org.borderwatch.avro.Breach;
import org.borderwatch.avro.ThreatType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Editing subscriptions and silences: the rules of create, owner or admin only, unknown fields refused. */
class EditTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    private static AlertStack stack;
    private static AlertApp app;
    private static Breaches breaches;
    private static WebhookReceiver receiver;

    @BeforeAll
    static void start() {
        stack = AlertStack.start(dir);
        app = stack.app();
        breaches = stack.breaches();
        receiver = stack.receiver();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldChangeOnlyTheFieldsSentWhenTheOwnerEditsASubscription() {
        final String id = subscribe(Map.of("channel", "webhook", "url", receiver.url("/edit"),
                "regions", List.of("TJ-KT")));
        final String path = "/v1/subscriptions/" + id;

        final HttpResponse<String> edited = app.patch(path, Map.of("minSeverity", "critical",
                "threatTypes", List.of("ARMED_INCURSION"), "repeatInterval", "PT5M", "format", "cloudevents"),
                AlertApp.OPS_TJ_KEY);

        assertThat(edited.statusCode()).as(edited.body()).isEqualTo(200);
        final Map<String, Object> stored = app.body(app.get(path, AlertApp.OPS_TJ_KEY));
        assertThat(stored).containsEntry("minSeverity", "CRITICAL").containsEntry("repeatInterval", "PT5M")
                .containsEntry("format", "cloudevents").containsEntry("threatTypes", List.of("ARMED_INCURSION"))
                .containsEntry("regions", List.of("TJ-KT")).containsEntry("url", receiver.url("/edit"))
                .containsEntry("channel", "webhook").doesNotContainKeys("secrets", "secret", "repeatIntervalMillis");
        assertThat(app.body(app.patch(path, Map.of("repeatInterval", "PT0S"), AlertApp.ADMIN_KEY)))
                .as("an admin may edit it; PT0S switches re-notification off").containsEntry("repeatInterval", null);
    }

    @Test
    void shouldRefuseAnEditNamingEveryBrokenRuleWhenItBreaksTheRulesOfCreate() {
        final String id = subscribe(Map.of("channel", "webhook", "url", receiver.url("/refused")));
        final String path = "/v1/subscriptions/" + id;
        final Map<String, Object> before = app.body(app.get(path, AlertApp.OPS_TJ_KEY));

        final HttpResponse<String> refused = app.patch(path, Map.of("channel", "sse",
                "url", "http://169.254.169.254/latest/meta-data", "regions", List.of("UZ-SU"),
                "repeatInterval", "PT1S", "minSeverity", "HUGE", "colour", "red"), AlertApp.OPS_TJ_KEY);

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(app.list(refused, "errors")).extracting(e -> e.get("field"), e -> e.get("rule"))
                .containsExactlyInAnyOrder(Tuple.tuple("colour", "unknown-field"),
                        Tuple.tuple("channel", "immutable"), Tuple.tuple("url", "ssrf-guard"),
                        Tuple.tuple("regions[0]", "outside-credential-regions"),
                        Tuple.tuple("repeatInterval", "range"), Tuple.tuple("minSeverity", "enum"));
        assertThat(app.patch(path, Map.of("repeatInterval", "soon"), AlertApp.OPS_TJ_KEY).body())
                .contains("\"rule\":\"duration\"");
        assertThat(app.patch(path, "[]", AlertApp.OPS_TJ_KEY).statusCode()).isEqualTo(422);
        assertThat(app.body(app.get(path, AlertApp.OPS_TJ_KEY))).as("nothing changed").isEqualTo(before);
    }

    @Test
    void shouldAnswer404WhenAnotherOpsCenterEditsASubscriptionAnd403ForAnAnalyst() {
        final String id = subscribe(Map.of("channel", "sse"));
        final String path = "/v1/subscriptions/" + id;

        assertThat(app.patch(path, Map.of("minSeverity", "HIGH"), AlertApp.OPS_UZ_KEY).statusCode()).isEqualTo(404);
        assertThat(app.patch(path, Map.of("minSeverity", "HIGH"), AlertApp.ANALYST_KEY).statusCode()).isEqualTo(403);
        assertThat(app.patch(path, Map.of("url", receiver.url("/x")), AlertApp.OPS_TJ_KEY).body())
                .contains("sse-without-url");
        assertThat(app.patch("/v1/subscriptions/sub_nope", Map.of(), AlertApp.ADMIN_KEY).statusCode())
                .isEqualTo(404);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldExtendAndShortenASilenceWhenItsEndIsEdited() {
        final Breach muted = Breaches.firing("r-edit-silence", "TJ-KT", ThreatType.GOODS_SMUGGLING);
        breaches.send(muted);
        final String alertPath = "/v1/alerts/" + AlertApp.encode(muted.getBreachId());
        await().atMost(WAIT).until(() -> app.get(alertPath, AlertApp.OPS_TJ_KEY).statusCode() == 200);
        final String id = silence(Map.of("ruleIds", List.of("r-edit-silence"), "endsAt", in(Duration.ofHours(1))));
        final String later = in(Duration.ofHours(6));
        final String sooner = in(Duration.ofMinutes(30));

        final HttpResponse<String> extended = app.patch("/v1/silences/" + id, Map.of("endsAt", later,
                "comment", "exercise runs longer"), AlertApp.OPS_TJ_KEY);
        final List<Map<String, Object>> mutedBy = (List<Map<String, Object>>) ((Map<String, Object>) app.body(
                app.get(alertPath, AlertApp.OPS_TJ_KEY)).get("alert")).get("silencedBy");
        final HttpResponse<String> shortened = app.patch("/v1/silences/" + id, Map.of("endsAt", sooner),
                AlertApp.ADMIN_KEY);

        assertThat(extended.statusCode()).as(extended.body()).isEqualTo(200);
        assertThat(app.body(extended)).containsEntry("endsAt", later).containsEntry("updatedBy", "ops-tj")
                .containsEntry("comment", "exercise runs longer");
        assertThat(mutedBy).containsExactly(Map.of("silenceId", id, "endsAt", later,
                "comment", "exercise runs longer"));
        assertThat(shortened.statusCode()).as(shortened.body()).isEqualTo(200);
        assertThat(app.body(shortened)).containsEntry("endsAt", sooner).containsEntry("updatedBy", "root")
                .containsEntry("comment", "exercise runs longer");
    }

    @Test
    void shouldRefuseChangingWhatASilenceInForceMatchesOrEndingItInThePast() {
        final String id = silence(Map.of("regions", List.of("TJ-GB"), "endsAt", in(Duration.ofHours(1))));
        final String path = "/v1/silences/" + id;

        final HttpResponse<String> refused = app.patch(path, Map.of("regions", List.of("TJ-KT"),
                "startsAt", in(Duration.ofMinutes(5)), "endsAt", Instant.now().minusSeconds(60).toString(),
                "reason", "typo"), AlertApp.OPS_TJ_KEY);

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        assertThat(app.list(refused, "errors")).extracting(e -> e.get("field"), e -> e.get("rule"))
                .containsExactlyInAnyOrder(Tuple.tuple("regions", "started"), Tuple.tuple("startsAt", "started"),
                        Tuple.tuple("endsAt", "after-start"), Tuple.tuple("reason", "unknown-field"));
        assertThat(app.patch(path, Map.of("comment", "x"), AlertApp.OPS_UZ_KEY).statusCode()).isEqualTo(404);
        assertThat(app.delete(path, AlertApp.OPS_TJ_KEY).statusCode()).isEqualTo(200);
        assertThat(app.patch(path, Map.of("endsAt", in(Duration.ofHours(2))), AlertApp.OPS_TJ_KEY).statusCode())
                .as("an ended silence stays as it was").isEqualTo(409);
    }

    @Test
    void shouldChangeTheMatchersOfASilenceWhenItHasNotStartedYet() {
        final String id = silence(Map.of("regions", List.of("TJ-GB"), "startsAt", in(Duration.ofHours(1)),
                "endsAt", in(Duration.ofHours(2))));

        final HttpResponse<String> edited = app.patch("/v1/silences/" + id, Map.of("regions", List.of("TJ-KT"),
                "threatTypes", List.of("illegal_crossing"), "startsAt", in(Duration.ofMinutes(90))),
                AlertApp.OPS_TJ_KEY);

        assertThat(edited.statusCode()).as(edited.body()).isEqualTo(200);
        assertThat(app.body(edited)).containsEntry("regions", List.of("TJ-KT"))
                .containsEntry("threatTypes", List.of("ILLEGAL_CROSSING"))
                .containsEntry("startsAt", in(Duration.ofMinutes(90)));
        assertThat(app.patch("/v1/silences/" + id, Map.of("regions", List.of("UZ-SU")), AlertApp.OPS_TJ_KEY).body())
                .contains("outside-credential-regions");
    }

    /** An instant this long from now, in whole minutes so that two calls in one test give the same text. */
    private static String in(final Duration duration) {
        return Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1)).plus(duration).toString();
    }

    private static String subscribe(final Map<String, Object> request) {
        final HttpResponse<String> response = app.post("/v1/subscriptions", request, AlertApp.OPS_TJ_KEY);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return (String) app.body(response).get("subscriptionId");
    }

    private static String silence(final Map<String, Object> request) {
        final HttpResponse<String> response = app.post("/v1/silences", request, AlertApp.OPS_TJ_KEY);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return (String) app.body(response).get("silenceId");
    }
}
