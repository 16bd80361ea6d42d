package org.borderwatch.alert.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.borderwatch.alert.support.AlertApp;
import org.borderwatch.alert.support.Breaches;
import org.borderwatch.testkit.SseClient;
import org.borderwatch.avro.Breach;
import org.borderwatch.avro.ThreatType;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.borderwatch.credentials.ApiKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's session on the real service and broker: sign-in exchanges a key for an HttpOnly SameSite=Strict
 * cookie that acts as exactly that key's principal (the same role and region rules on every endpoint), a cookie
 * without the CSRF token changes nothing, sign-out ends the session on every instance, and the key is never echoed.
 */
class ConsoleSessionTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;

    private static EmbeddedKafkaCluster kafka;
    private static AlertApp app;
    private static AlertApp second;
    private static Breaches breaches;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start();
        kafka.createTopics();
        app = AlertApp.start(kafka, dir);
        // A second instance of the same deployment, as behind a load balancer.
        final Map<String, Object> properties = new HashMap<>(app.properties());
        properties.put("kafka.streams.state.dir", dir.resolve("second-state").toString());
        second = AlertApp.start(properties);
        breaches = new Breaches(kafka.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        if (breaches != null) {
            breaches.close();
        }
        if (second != null) {
            second.close();
        }
        if (app != null) {
            app.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldSetAnHttpOnlyStrictCookieAndNeverEchoTheKeyWhenSigningIn() throws Exception {
        final ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        root.addAppender(logged);
        final HttpResponse<String> signIn;
        final HttpResponse<String> unknown;
        try {
            signIn = signIn(app, AlertApp.OPS_TJ_KEY);
            unknown = signIn(app, AlertApp.OPS_TJ_KEY + "x");
        } finally {
            root.detachAppender(logged);
        }

        assertThat(signIn.statusCode()).isEqualTo(201);
        final String setCookie = signIn.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith(SessionAuthenticationFetcher.COOKIE + "=").containsIgnoringCase("HttpOnly")
                .containsIgnoringCase("SameSite=Strict").contains("Path=/").containsIgnoringCase("Max-Age=43200");
        assertThat(setCookie).doesNotContain("Secure");
        assertThat(signIn.body()).doesNotContain(AlertApp.OPS_TJ_KEY).contains("\"principal\":\"ops-tj\"")
                .contains("csrfToken");
        assertThat(signIn.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("script-src 'self'").doesNotContain("unsafe-inline"));
        assertThat(unknown.statusCode()).isEqualTo(401);
        // The log says who signed in and that an unknown key was tried, never the key.
        assertThat(logged.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .anyMatch(line -> line.contains("Console session started for ops-tj"))
                .anyMatch(line -> line.contains("unknown API key"))
                .noneMatch(line -> line.contains(AlertApp.OPS_TJ_KEY));
    }

    @Test
    void shouldRefuseUnknownKeysAndAgencyKeysWhenSigningIn() throws Exception {
        final HttpResponse<String> unknown = signIn(app, ApiKeys.generate());
        final HttpResponse<String> agency = signIn(app, AlertApp.AGENCY_KEY);
        final HttpResponse<String> empty = post(app, "/console/session", "{}", null, null);
        final HttpResponse<String> unknownField = post(app, "/console/session", "{\"apiKey\": \""
                + AlertApp.OPS_TJ_KEY + "\", \"rememberMe\": true}", null, null);

        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(unknown.body()).contains("\"rule\":\"unknown-key\"");
        assertThat(agency.statusCode()).isEqualTo(403);
        assertThat(agency.body()).contains("\"rule\":\"role-not-allowed\"").doesNotContain(AlertApp.AGENCY_KEY);
        assertThat(empty.statusCode()).isEqualTo(422);
        assertThat(empty.body()).contains("\"field\":\"apiKey\"").contains("\"rule\":\"required\"");
        assertThat(unknownField.statusCode()).isEqualTo(422);
        assertThat(unknownField.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(unknownField.body()).contains("\"field\":\"rememberMe\"").contains("unknown-field")
                .doesNotContain(AlertApp.OPS_TJ_KEY);
    }

    @Test
    void shouldAnswer404ForAnotherCountrysAlertWhenASessionOfOpsTjAsks() throws Exception {
        final Breach uz = Breaches.firing("r-console-uz", "UZ-SU", ThreatType.WEAPONS_SMUGGLING);
        final Breach tj = Breaches.firing("r-console-tj", "TJ-KT", ThreatType.WEAPONS_SMUGGLING);
        breaches.send(uz);
        breaches.send(tj);
        await().atMost(WAIT).until(() -> app.get("/v1/alerts/" + AlertApp.encode(uz.getBreachId()),
                AlertApp.ADMIN_KEY).statusCode() == 200 && app.get("/v1/alerts/" + AlertApp.encode(tj.getBreachId()),
                AlertApp.ADMIN_KEY).statusCode() == 200);
        final Session tjSession = Session.of(signIn(app, AlertApp.OPS_TJ_KEY), app);

        final HttpResponse<String> own = get(app, "/v1/alerts/" + AlertApp.encode(tj.getBreachId()), tjSession);
        final HttpResponse<String> other = get(app, "/v1/alerts/" + AlertApp.encode(uz.getBreachId()), tjSession);
        final HttpResponse<String> list = get(app, "/v1/alerts?threatType=WEAPONS_SMUGGLING", tjSession);
        final HttpResponse<String> otherAck = post(app, "/v1/alerts/" + AlertApp.encode(uz.getBreachId()) + "/ack",
                "{}", tjSession.cookie(), tjSession.csrf());
        final HttpResponse<String> otherAggregates = get(app, "/console/api/aggregates?region=UZ-SU", tjSession);
        final HttpResponse<String> ownAggregates = get(app, "/console/api/aggregates?region=TJ-KT", tjSession);

        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(list.body()).contains(tj.getBreachId()).doesNotContain(uz.getBreachId());
        assertThat(otherAck.statusCode()).isEqualTo(404);
        // Refused before anything is forwarded; the own region passes the rule and only then meets the missing
        // service credential of this test deployment.
        assertThat(otherAggregates.statusCode()).isEqualTo(403);
        assertThat(otherAggregates.body()).contains("\"rule\":\"region-not-allowed\"");
        assertThat(ownAggregates.statusCode()).isEqualTo(503);
        assertThat(ownAggregates.body()).contains("aggregator-api-key");
    }

    @Test
    void shouldRefuseAnAcknowledgementWhenTheCookieComesWithoutItsCsrfToken() throws Exception {
        final Breach breach = Breaches.firing("r-console-csrf", "TJ-GB", ThreatType.ILLEGAL_CROSSING);
        breaches.send(breach);
        final String path = "/v1/alerts/" + AlertApp.encode(breach.getBreachId());
        await().atMost(WAIT).until(() -> app.get(path, AlertApp.ADMIN_KEY).statusCode() == 200);
        final Session session = Session.of(signIn(app, AlertApp.OPS_TJ_KEY), app);

        final HttpResponse<String> noToken = post(app, path + "/ack", "{\"comment\": \"forged\"}",
                session.cookie(), null);
        final HttpResponse<String> wrongToken = post(app, path + "/ack", "{\"comment\": \"forged\"}",
                session.cookie(), ApiKeys.sha256Hex("guess"));
        final HttpResponse<String> otherOrigin = send(HttpRequest.newBuilder(app.uri(path + "/ack"))
                .header("Content-Type", "application/json").header("Cookie", session.cookie())
                .header("X-CSRF-Token", session.csrf()).header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        final HttpResponse<String> crossSite = send(HttpRequest.newBuilder(app.uri(path + "/ack"))
                .header("Content-Type", "application/json").header("Cookie", session.cookie())
                .header("X-CSRF-Token", session.csrf()).header("Sec-Fetch-Site", "cross-site")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());

        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(noToken.body()).contains("\"field\":\"X-CSRF-Token\"").contains("\"rule\":\"csrf-token\"");
        assertThat(wrongToken.statusCode()).isEqualTo(403);
        assertThat(otherOrigin.statusCode()).isEqualTo(403);
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(crossSite.body()).contains("\"field\":\"Sec-Fetch-Site\"");
        assertThat(get(app, path, session).body()).doesNotContain("forged").doesNotContain("acknowledgement\":{");

        // As a browser sends it from the console: same origin, cookie and token.
        final HttpResponse<String> withToken = send(HttpRequest.newBuilder(app.uri(path + "/ack"))
                .header("Content-Type", "application/json").header("Cookie", session.cookie())
                .header("X-CSRF-Token", session.csrf()).header("Origin", "http://127.0.0.1:" + app.port())
                .header("Sec-Fetch-Site", "same-origin")
                .POST(HttpRequest.BodyPublishers.ofString("{\"comment\": \"Patrol dispatched\"}")).build());

        assertThat(withToken.statusCode()).isEqualTo(200);
        // The audit trail names the key's principal: the session acted as exactly that credential.
        assertThat(app.get(path, AlertApp.ADMIN_KEY).body()).contains("\"by\":\"ops-tj\"")
                .contains("Patrol dispatched");
    }

    @Test
    void shouldEndTheSessionOnEveryInstanceWhenSigningOut() throws Exception {
        final Session session = Session.of(signIn(app, AlertApp.OPS_TJ_KEY), app);
        await().atMost(WAIT).until(() -> get(second, "/console/session", session).body()
                .contains("\"principal\":\"ops-tj\""));
        assertThat(get(second, "/v1/alerts", session).statusCode()).isEqualTo(200);

        final HttpResponse<String> withoutToken = send(HttpRequest.newBuilder(app.uri("/console/session"))
                .header("Cookie", session.cookie()).DELETE().build());
        final HttpResponse<String> signOut = send(HttpRequest.newBuilder(app.uri("/console/session"))
                .header("Cookie", session.cookie()).header("X-CSRF-Token", session.csrf()).DELETE().build());

        assertThat(withoutToken.statusCode()).isEqualTo(403);
        assertThat(signOut.statusCode()).isEqualTo(204);
        assertThat(signOut.headers().firstValue("Set-Cookie")).hasValueSatisfying(cookie ->
                assertThat(cookie).containsIgnoringCase("Max-Age=0"));
        assertThat(get(app, "/v1/alerts", session).statusCode()).isEqualTo(401);
        await().atMost(WAIT).until(() -> get(second, "/v1/alerts", session).statusCode() == 401);
        assertThat(get(second, "/console/session", session).body()).isEqualTo("{\"signedIn\":false}");
    }

    @Test
    void shouldStreamOnlyTheSessionsRegionsWhenTheBrowserListensWithTheCookie() throws Exception {
        final Session session = Session.of(signIn(app, AlertApp.OPS_TJ_KEY), app);
        try (SseClient stream = SseClient.open(app.uri("/v1/alerts/stream?threatType=HUMAN_TRAFFICKING"), null,
                null, Map.of("Cookie", session.cookie()))) {
            await().atMost(WAIT).until(() -> !stream.comments().isEmpty());
            final Breach uz = Breaches.firing("r-console-sse", "UZ-SU", ThreatType.HUMAN_TRAFFICKING);
            final Breach tj = Breaches.firing("r-console-sse", "TJ-KT", ThreatType.HUMAN_TRAFFICKING);

            breaches.send(uz);
            breaches.send(tj);

            await().atMost(WAIT).until(() -> stream.events().size() == 1);
            assertThat(stream.events().get(0).data()).contains(tj.getBreachId());
            // The two alerts live in different partitions: the UZ one may reach this instance's log after the TJ
            // one reached the stream. Once it is in the log, the stream has had it and must still hold only TJ's.
            await().atMost(WAIT).until(() -> app.get("/v1/alerts/" + AlertApp.encode(uz.getBreachId()),
                    AlertApp.ADMIN_KEY).statusCode() == 200);
            assertThat(stream.events()).hasSize(1);
        }
    }

    @Test
    void shouldServeTheShellWithoutInlineScriptUnderTheContentSecurityPolicy() throws Exception {
        final HttpResponse<String> shell = send(HttpRequest.newBuilder(app.uri("/")).GET().build());
        final HttpResponse<String> script = send(HttpRequest.newBuilder(app.uri("/console/assets/app.js")).GET()
                .build());
        final HttpResponse<String> echarts = send(HttpRequest.newBuilder(
                app.uri("/webjars/echarts/5.3.1/dist/echarts.min.js")).method("HEAD",
                HttpRequest.BodyPublishers.noBody()).build());
        final HttpResponse<String> data = send(HttpRequest.newBuilder(app.uri("/v1/alerts")).GET().build());

        assertThat(shell.statusCode()).isEqualTo(200);
        assertThat(shell.headers().firstValue("Content-Security-Policy")).contains(
                SecurityHeadersFilter.CONTENT_SECURITY_POLICY);
        assertThat(shell.body()).contains("<script type=\"module\" src=\"/console/assets/app.js\">")
                .doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>").doesNotContain("style=\"")
                .doesNotContainPattern(" on[a-z]+=\"");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(echarts.statusCode()).isEqualTo(200);
        assertThat(data.statusCode()).isEqualTo(401);
    }

    private static HttpResponse<String> signIn(final AlertApp target, final String key) {
        return post(target, "/console/session", "{\"apiKey\": \"" + key + "\"}", null, null);
    }

    private static HttpResponse<String> get(final AlertApp target, final String path, final Session session) {
        return send(HttpRequest.newBuilder(target.uri(path)).header("Cookie", session.cookie()).GET().build());
    }

    private static HttpResponse<String> post(final AlertApp target, final String path, final String body,
                                             final String cookie, final String csrf) {
        final HttpRequest.Builder request = HttpRequest.newBuilder(target.uri(path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        if (csrf != null) {
            request.header("X-CSRF-Token", csrf);
        }
        return send(request.build());
    }

    private static HttpResponse<String> send(final HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A signed-in browser, as far as the server can tell: the cookie it sends and the token its script holds. */
    private record Session(String cookie, String csrf) {

        static Session of(final HttpResponse<String> signIn, final AlertApp app) {
            assertThat(signIn.statusCode()).as(signIn.body()).isEqualTo(201);
            final String cookie = signIn.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
            return new Session(cookie, String.valueOf(app.parse(signIn.body()).get("csrfToken")));
        }
    }
}
