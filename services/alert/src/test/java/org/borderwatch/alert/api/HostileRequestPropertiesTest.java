package org.borderwatch.alert.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.borderwatch.alert.silence.SilenceRequest;
import org.borderwatch.alert.subscription.SubscriptionRequest;
import org.borderwatch.alert.support.AlertApp;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;

/**
 * Every JSON field of every alert endpoint that takes a body (subscriptions and silences, created and edited,
 * acknowledgements, notes, manual resolves, console sign-in), and every
 * query and path parameter, filled with nulls, wrong JSON types, extreme numbers and instants, huge and broken
 * strings, unknown fields: the answer is never a 5xx, and every 4xx is problem+json (issue 7, item 3). Runs against
 * the real service on a real broker.
 */
class HostileRequestPropertiesTest {

    /**
     * Every body-taking endpoint ("METHOD path") and its fields (the records' own lists, so a new field is covered
     * at once). The PATCH paths get the ids of a real subscription and silence when the service has started.
     */
    private static final Map<String, List<String>> BODIES = new LinkedHashMap<>(Map.of(
            "POST /v1/subscriptions", List.copyOf(SubscriptionRequest.FIELDS),
            "POST /v1/silences", List.copyOf(SilenceRequest.FIELDS),
            "POST /v1/alerts/r-x%7CTJ-KT%7COTHER/ack", List.copyOf(AckRequest.FIELDS),
            "POST /v1/alerts/r-x%7CTJ-KT%7COTHER/notes", List.copyOf(NoteRequest.FIELDS),
            "POST /v1/alerts/r-x%7CTJ-KT%7COTHER/resolve", List.copyOf(ResolveRequest.FIELDS),
            "POST /console/session", List.of("apiKey")));

    private static final List<String> EXTREME_INSTANTS = List.of("+999999999-12-31T23:59:59Z",
            "-999999999-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "0000-01-01T00:00:00Z",
            "10000-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "2025-13-01T00:00:00Z", "2030-01-01T00:00:00+14:00",
            "2099-01-01T00:00:00Z", "P1D", "now");

    private static EmbeddedKafkaCluster kafka;
    private static AlertApp app;
    private static Path dir;

    @BeforeContainer
    static void start() throws Exception {
        dir = Files.createTempDirectory("borderwatch-alert-hostile-");
        kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start();
        kafka.createTopics();
        app = AlertApp.start(kafka, dir);
        final String subscription = (String) app.body(app.post("/v1/subscriptions",
                Map.of("channel", "sse", "regions", List.of("TJ-*")), AlertApp.OPS_TJ_KEY)).get("subscriptionId");
        final String silence = (String) app.body(app.post("/v1/silences", Map.of("regions", List.of("TJ-KT"),
                "startsAt", Instant.now().plus(Duration.ofDays(1)).toString(),
                "endsAt", Instant.now().plus(Duration.ofDays(2)).toString()), AlertApp.OPS_TJ_KEY)).get("silenceId");
        assertThat(subscription).as("a subscription to edit").isNotNull();
        assertThat(silence).as("a silence to edit").isNotNull();
        BODIES.put("PATCH /v1/subscriptions/" + subscription, List.copyOf(SubscriptionRequest.FIELDS));
        BODIES.put("PATCH /v1/silences/" + silence, List.copyOf(SilenceRequest.FIELDS));
    }

    @AfterContainer
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Property(tries = 300)
    void shouldNeverAnswer5xxWhenABodyIsHostile(@ForAll("bodies") final Tuple.Tuple2<String, String> request,
                                                @ForAll("keys") final String key) throws Exception {
        final String[] target = request.get1().split(" ", 2);
        assertNo5xx(send(target[0], target[1], request.get2(), key));
    }

    @Property(tries = 200)
    void shouldNeverAnswer5xxWhenAParameterIsHostile(@ForAll("queries") final String path,
                                                     @ForAll("keys") final String key) throws Exception {
        assertNo5xx(path.startsWith("DELETE ") ? send("DELETE", path.substring(7), null, key)
                : path.startsWith("POST ") ? send("POST", path.substring(5), "", key) : send("GET", path, null, key));
    }

    private static void assertNo5xx(final String response) {
        final int status = Integer.parseInt(response.substring(9, 12));
        assertThat(status).as(response).isLessThan(500);
        if (status >= 400) {
            assertThat(response.toLowerCase(java.util.Locale.ROOT)).as(response)
                    .contains("\r\ncontent-type: application/problem+json");
        }
    }

    /**
     * One request on its own connection ({@code Connection: close}): the property is about answers, and a pooled
     * client would mix in how a reused keep-alive connection behaves.
     */
    private static String send(final String method, final String path, final String body, final String key)
            throws Exception {
        final byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", app.port())) {
            socket.setSoTimeout(30_000);
            final String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: " + key
                    + "\r\nConnection: close\r\n" + (body == null ? "" : "Content-Type: application/json\r\n"
                    + "Content-Length: " + content.length + "\r\n") + "\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(content);
            socket.getOutputStream().flush();
            final String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).as("%s %s: no answer", method, path).startsWith("HTTP/1.");
            return response;
        }
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.of(AlertApp.OPS_TJ_KEY, AlertApp.ADMIN_KEY);
    }

    @Provide
    Arbitrary<Tuple.Tuple2<String, String>> bodies() {
        final Arbitrary<String> path = Arbitraries.of(List.copyOf(BODIES.keySet()));
        return path.flatMap(p -> Arbitraries.frequencyOf(
                Tuple.of(8, object(BODIES.get(p))),
                Tuple.of(1, value()),
                Tuple.of(1, Arbitraries.of("", " ", "{", "{\"a\":1}}", "[", "nul", "{\"channel\":\"sse\",}")))
                .map(body -> Tuple.of(p, body)));
    }

    /** An object of some of the endpoint's fields (and sometimes an unknown one), each with a hostile value. */
    private static Arbitrary<String> object(final List<String> fields) {
        final Arbitrary<String> name = Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.of(fields)),
                Tuple.of(1, Arbitraries.of("enabled", "secret", "ownerRegions", "durationMinutes", "")));
        return Combinators.combine(name, value()).as((n, v) -> quote(n) + ": " + v).list().ofMaxSize(7)
                .map(members -> members.stream().collect(Collectors.joining(", ", "{", "}")));
    }

    /** A JSON value: null, a wrong type, an extreme number, an extreme instant, a huge or broken string... */
    private static Arbitrary<String> value() {
        final Arbitrary<String> plausible = Arbitraries.of("TJ-KT", "TJ-*", "*", "tj-kt", "UZ-SU", "XX-YY", "webhook",
                "SSE", "cap", "cloudevents", "json", "HIGH", "low", "ILLEGAL_CROSSING", "drug_trafficking", "r-1",
                "https://example.org/hook", "http://127.0.0.1:1/x", "http://169.254.169.254/", "file:///etc/passwd",
                "").map(HostileRequestPropertiesTest::quote);
        final Arbitrary<String> instants = Arbitraries.of(EXTREME_INSTANTS).map(HostileRequestPropertiesTest::quote);
        final Arbitrary<String> numbers = Arbitraries.of("0", "-1", "1.5", "1e999999999", "-1e400",
                "123456789012345678901234567890", "9223372036854775808", "true", "false", "null", "{}", "[]",
                "{\"a\": null}", "[[]]");
        final Arbitrary<String> huge = Arbitraries.of(1_001, 20_000, 300_000)
                .map(n -> quote("x".repeat(n)));
        final Arbitrary<String> broken = Arbitraries.of("\"\\ud800\"", "\"a\\u0000b\"", "\"\\udc00x\"",
                "\"🚤\"", "\"\\n\\r\\t\"");
        final Arbitrary<String> scalar = Arbitraries.frequencyOf(Tuple.of(4, plausible), Tuple.of(3, instants),
                Tuple.of(4, numbers), Tuple.of(1, huge), Tuple.of(2, broken),
                Tuple.of(2, Arbitraries.strings().ofMaxLength(40).map(HostileRequestPropertiesTest::quote)));
        final Arbitrary<String> list = Arbitraries.frequencyOf(Tuple.of(5, scalar),
                        Tuple.of(1, Arbitraries.just("null"))).list().ofMaxSize(5)
                .map(items -> "[" + String.join(", ", items) + "]");
        final Arbitrary<String> manyItems = Arbitraries.of(101, 5_000).map(n -> "[" + String.join(",",
                java.util.Collections.nCopies(n, "\"TJ-KT\"")) + "]");
        return Arbitraries.frequencyOf(Tuple.of(6, scalar), Tuple.of(4, list), Tuple.of(1, manyItems));
    }

    @Provide
    Arbitrary<String> queries() {
        final Arbitrary<String> values = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(EXTREME_INSTANTS)),
                Tuple.of(3, Arbitraries.of("FIRING", "resolved", "TJ-*", "tj", "ALIENS", "HIGH", "-1", "0", "1000",
                        "1001", "99999999999", "1e9", "true", "maybe", "", ",", "*,*,*", "json", "xml")),
                Tuple.of(2, Arbitraries.strings().ofMaxLength(30)),
                Tuple.of(1, Arbitraries.of(5_000).map("A"::repeat)));
        final Arbitrary<String> alertQuery = Combinators.combine(
                Arbitraries.of("status", "region", "threatType", "minSeverity", "since", "until", "limit", "x"),
                values).as((n, v) -> n + "=" + encode(v)).list().ofMinSize(1).ofMaxSize(5)
                .map(params -> "/v1/alerts?" + String.join("&", params));
        final Arbitrary<String> silences = values.map(v -> "/v1/silences?active=" + encode(v));
        final Arbitrary<String> ids = values.map(HostileRequestPropertiesTest::encode);
        final Arbitrary<String> byId = Combinators.combine(Arbitraries.of("/v1/alerts/%s", "/v1/alerts/%s/cap",
                "/v1/subscriptions/%s", "DELETE /v1/subscriptions/%s", "POST /v1/subscriptions/%s/rotate-secret",
                "POST /v1/subscriptions/%s/enable", "DELETE /v1/silences/%s", "POST /v1/alerts/%s/ack",
                "POST /v1/alerts/%s/notes", "POST /v1/alerts/%s/resolve"), ids)
                .as((template, id) -> template.formatted(id.isEmpty() ? "%20" : id));
        return Arbitraries.oneOf(alertQuery, silences, byId);
    }

    private static String encode(final String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String quote(final String text) {
        final StringBuilder quoted = new StringBuilder("\"");
        for (final char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
