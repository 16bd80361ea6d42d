package org.borderwatch.service.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
        assertProblem(response, 400, "about:blank");
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

    private static HttpResponse<String> send(final HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
