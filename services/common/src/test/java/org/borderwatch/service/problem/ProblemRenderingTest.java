package org.borderwatch.service.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import org.borderwatch.credentials.ApiKeys;
import org.borderwatch.credentials.CredentialsWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every error a service can answer is problem+json; authentication by API key works end to end. */
class ProblemRenderingTest {

    private static final String AGENCY_KEY = ApiKeys.generate();
    private static final String ANALYST_KEY = ApiKeys.generate();

    @TempDir
    static Path dir;

    private static EmbeddedServer server;
    private static JsonMapper json;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        final Path credentials = dir.resolve("credentials.yml");
        CredentialsWriter.write(credentials, List.of(
                CredentialsWriter.Entry.agency("tj", "TJ-BORDER-GUARD", AGENCY_KEY, "TJ-*"),
                CredentialsWriter.Entry.analyst("analyst", ANALYST_KEY, "*")));
        server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", -1,
                "micronaut.server.max-request-size", "1KB",
                // As every service configures it: unmatched requests answer 404/405/415, not 401.
                "micronaut.security.reject-not-found", false,
                "borderwatch.security.credentials-file", credentials.toString()));
        json = server.getApplicationContext().getBean(JsonMapper.class);
    }

    @AfterAll
    static void stop() {
        server.getApplicationContext().close();
    }

    @Test
    void shouldListEveryBrokenRuleWhenAProblemExceptionIsInvalid() throws Exception {
        final HttpResponse<String> response = send(get("/test/invalid"));

        assertProblem(response, 422, "urn:borderwatch:problem:invalid-request");
        assertThat(body(response).get("errors")).isEqualTo(List.of(
                Map.of("field", "region", "rule", "unknown-region", "message", "XX-YY is not known"),
                Map.of("field", "severity", "rule", "enum", "message", "must be one of LOW, MEDIUM, HIGH, CRITICAL")));
        assertThat(body(response)).containsEntry("instance", "/test/invalid").containsEntry("detail",
                "2 rules are broken; see errors.");
    }

    @Test
    void shouldSendRetryAfterInWholeSecondsWhenUnavailable() throws Exception {
        final HttpResponse<String> response = send(get("/test/unavailable"));

        assertProblem(response, 503, "urn:borderwatch:problem:service-unavailable");
        assertThat(response.headers().firstValue("Retry-After")).contains("5");
        assertThat(body(response)).containsEntry("detail", "Kafka did not acknowledge in time");
    }

    @Test
    void shouldHideTheExceptionWhenAnUnexpectedErrorHappens() throws Exception {
        final HttpResponse<String> response = send(get("/test/boom"));

        assertProblem(response, 500, "about:blank");
        assertThat(response.body()).doesNotContain("secret").doesNotContain("db.internal")
                .doesNotContain("IllegalStateException").contains("Error id:");
    }

    @Test
    void shouldAnswer400WhenTheJsonIsMalformed() throws Exception {
        final HttpResponse<String> response = send(post("/test/json", "application/json", "{\"text\": "));
        assertProblem(response, 400, "urn:borderwatch:problem:malformed-request");
        assertThat(body(response).get("errors")).isEqualTo(List.of(Map.of("field", "", "rule", "malformed-json",
                "message", "The body is not valid JSON; send one JSON object")));
    }

    @Test
    void shouldNameTheRuleNotTheParserWhenABoundBodyHasAWrongJsonType() throws Exception {
        final HttpResponse<String> response = send(post("/test/json", "application/json", "{\"text\": {\"a\": 1}}"));

        assertProblem(response, 400, "urn:borderwatch:problem:malformed-request");
        assertThat(response.body()).doesNotContain("START_ARRAY").doesNotContain("VALUE_").doesNotContain("Echo");
        assertThat(body(response).get("errors").toString()).contains("field=", "rule=type");
    }

    @Test
    void shouldNameTheParameterAndRuleWhenAQueryParameterDoesNotConvert() throws Exception {
        final HttpResponse<String> response = send(get("/test/count?n=99999999999"));

        assertProblem(response, 400, "urn:borderwatch:problem:malformed-request");
        assertThat(body(response).get("errors")).isEqualTo(List.of(Map.of("field", "n", "rule", "type",
                "message", "n must be a whole number within its range; got '99999999999'")));
    }

    @Test
    void shouldRefuseOverlongUtf8NamingTheByteOffsetWhenABodyIsBound() throws Exception {
        // {"text": "..<C0 AF>.."}: a lenient decoder reads "../..", the strict one refuses at byte 12.
        final byte[] overlong = bytes("{\"text\": \"..", new byte[] {(byte) 0xC0, (byte) 0xAF}, "..\"}");

        final HttpResponse<String> response = send(post("/test/json", overlong));

        assertProblem(response, 400, "urn:borderwatch:problem:malformed-request");
        assertThat(body(response).get("errors").toString()).contains("field=", "rule=utf-8",
                "overlong", "at byte offset 12");
        assertThat(response.body()).doesNotContain("../..");
    }

    @Test
    void shouldRefuseEveryKindOfMalformedUtf8WhenTheBodyArrivesInPieces() throws Exception {
        for (final byte[] bad : List.of(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xE2, (byte) 0x82})) {
            final byte[] body = bytes("{\"text\": \"" + "x".repeat(300), bad, "\"}");

            final HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/test/json"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new TrickleStream(body))).build());

            assertProblem(response, 400, "urn:borderwatch:problem:malformed-request");
            assertThat(body(response).get("detail").toString()).contains("at byte offset 310");
        }
        // The same, well-formed, reaches the handler whole.
        final byte[] fine = bytes("{\"text\": \"" + "x".repeat(300),
                "Хатлон🚤".getBytes(StandardCharsets.UTF_8), "\"}");
        final HttpResponse<String> echoed = send(HttpRequest.newBuilder(uri("/test/json"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new TrickleStream(fine))).build());
        assertThat(echoed.statusCode()).as(echoed.body()).isEqualTo(200);
        assertThat(body(echoed).get("text").toString()).endsWith("xХатлон🚤");
    }

    @Test
    void shouldAcceptARawPipeWhenAnIdInThePathHoldsIt() throws Exception {
        // curl sends "|" as is; RFC 3986 wants %7C. Both reach the handler as the same id.
        assertThat(rawGet("/test/ids/r1|TJ-KT|ARMED_INCURSION")).startsWith("HTTP/1.1 200")
                .endsWith("\r\n\r\nr1|TJ-KT|ARMED_INCURSION");
        assertThat(rawGet("/test/ids/r1%7CTJ-KT%7CARMED_INCURSION")).startsWith("HTTP/1.1 200")
                .endsWith("\r\n\r\nr1|TJ-KT|ARMED_INCURSION");
        // and a problem about such a path names the path, not "/"
        final String notFound = rawGet("/nothing|here/{x}");
        assertThat(notFound).startsWith("HTTP/1.1 404").contains("\"instance\":\"/nothing%7Chere/%7Bx%7D\"");
    }

    @Test
    void shouldAnswer414NamingTheRequestLineAndCloseWhenTheRequestLineIsTooLong() throws Exception {
        // An 8,000-byte id, past Netty's 4,096-byte request line: Micronaut alone answered "HTTP/1.0 413" without
        // Connection: close and then closed the connection.
        final String answer = rawGet("/test/ids/" + "x".repeat(8_000));
        assertThat(answer).startsWith("HTTP/1.1 414").containsIgnoringCase("connection: close")
                .contains("application/problem+json").contains("\"field\":\"request-line\"")
                .contains("\"rule\":\"max-length\"").contains("4096 bytes");
    }

    @Test
    void shouldAnswer431NamingTheHeadersAndCloseWhenTheHeadersAreTooLong() throws Exception {
        final String answer = rawGet("/test/count", "X-Big: " + "b".repeat(9_000) + "\r\n");
        assertThat(answer).startsWith("HTTP/1.1 431").containsIgnoringCase("connection: close")
                .contains("\"field\":\"headers\"").contains("\"rule\":\"max-length\"").contains("8192 bytes");
    }

    @Test
    void shouldAnswerEveryPostOfAKeepAliveClientWhenOverlongRequestLinesAreRefusedInBetween() throws Exception {
        // Given a keep-alive client that pools its connections (a POST is never retried on a dead one)
        final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int i = 0; i < 20; i++) {
            // When a request with an overlong target is refused
            final HttpResponse<String> refused = client.send(post("/test/ids/" + "x".repeat(8_000) + "/x",
                    "application/json", "{}"), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isBetween(400, 499);
            // Then the next POST gets its answer (it used to get none: the pooled connection was already closed)
            final HttpResponse<String> next = client.send(post("/test/json", "application/json",
                    "{\"text\": \"ok\"}"), HttpResponse.BodyHandlers.ofString());
            assertThat(next.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void shouldAnswer413WhenTheBodyIsTooLarge() throws Exception {
        final HttpResponse<String> response =
                send(post("/test/json", "application/json", "{\"text\": \"" + "x".repeat(2048) + "\"}"));
        assertProblem(response, 413, "about:blank");
    }

    @Test
    void shouldAnswer415WhenTheContentTypeIsNotAccepted() throws Exception {
        final HttpResponse<String> response = send(post("/test/json", "text/plain", "hello"));
        assertProblem(response, 415, "about:blank");
        assertThat(body(response).get("detail").toString()).contains("text/plain");
    }

    @Test
    void shouldAnswer404WhenNoRouteMatches() throws Exception {
        assertProblem(send(get("/test/nothing-here")), 404, "about:blank");
    }

    @Test
    void shouldAnswer401WithAChallengeWhenNoKeyOrAnUnknownKeyIsSent() throws Exception {
        for (final HttpRequest request : List.of(get("/test/agency"),
                HttpRequest.newBuilder(uri("/test/agency")).header("X-API-Key", ApiKeys.generate()).build(),
                HttpRequest.newBuilder(uri("/test/agency")).header("Authorization", "Bearer nope").build())) {
            final HttpResponse<String> response = send(request);
            assertProblem(response, 401, "about:blank");
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    challenge -> assertThat(challenge).startsWith("Bearer"));
            assertThat(body(response).get("detail").toString()).contains("X-API-Key");
        }
    }

    @Test
    void shouldAuthenticateWhenTheKeyComesInEitherHeader() throws Exception {
        for (final HttpRequest request : List.of(
                HttpRequest.newBuilder(uri("/test/agency")).header("X-API-Key", AGENCY_KEY).build(),
                HttpRequest.newBuilder(uri("/test/agency")).header("Authorization", "Bearer " + AGENCY_KEY).build())) {
            final HttpResponse<String> response = send(request);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("TJ-BORDER-GUARD");
        }
    }

    @Test
    void shouldAnswer403WhenTheRoleMayNotUseTheEndpoint() throws Exception {
        final HttpResponse<String> response =
                send(HttpRequest.newBuilder(uri("/test/agency")).header("X-API-Key", ANALYST_KEY).build());
        assertProblem(response, 403, "about:blank");
    }

    private static void assertProblem(final HttpResponse<String> response, final int status, final String type)
            throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(body(response)).containsEntry("type", type).containsEntry("status", status)
                .containsKeys("title", "detail", "instance");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(final HttpResponse<String> response) throws Exception {
        return json.readValue(response.body(), Map.class);
    }

    private static URI uri(final String path) {
        return URI.create("http://127.0.0.1:" + server.getPort() + path);
    }

    private static HttpRequest get(final String path) {
        return HttpRequest.newBuilder(uri(path)).build();
    }

    private static HttpRequest post(final String path, final String contentType, final String body) {
        return HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** A request line written by hand: java.net.http would refuse the raw characters before sending. */
    private static String rawGet(final String target) throws Exception {
        return rawGet(target, "");
    }

    private static String rawGet(final String target, final String headers) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static HttpRequest post(final String path, final byte[] body) {
        return HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static byte[] bytes(final String before, final byte[] middle, final String after) {
        final byte[] head = before.getBytes(StandardCharsets.UTF_8);
        final byte[] tail = after.getBytes(StandardCharsets.UTF_8);
        final byte[] all = new byte[head.length + middle.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(middle, 0, all, head.length, middle.length);
        System.arraycopy(tail, 0, all, head.length + middle.length, tail.length);
        return all;
    }

    /** A client that sends its body a few bytes at a time (chunked), so the server reads it in many pieces. */
    private static final class TrickleStream extends java.io.InputStream {

        private final byte[] body;
        private int position;

        TrickleStream(final byte[] body) {
            this.body = body;
        }

        @Override
        public int read() {
            return position < body.length ? body[position++] & 0xFF : -1;
        }

        @Override
        public int read(final byte[] buffer, final int offset, final int length) throws java.io.IOException {
            if (position >= body.length) {
                return -1;
            }
            try {
                // Pacing a slow client, not waiting for a result.
                Thread.sleep(2);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException();
            }
            final int count = Math.min(Math.min(length, 16), body.length - position);
            System.arraycopy(body, position, buffer, offset, count);
            position += count;
            return count;
        }
    }

    private static HttpResponse<String> send(final HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
