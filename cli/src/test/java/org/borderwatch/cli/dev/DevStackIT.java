package org.borderwatch.cli.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.borderwatch.cli.simulate.Scenario;
import org.borderwatch.cli.simulate.SimulateCommand;
import org.borderwatch.cli.simulate.Simulation;
import org.borderwatch.cli.simulate.Timeline;
import org.borderwatch.credentials.SecretKeyRing;
import org.borderwatch.launcher.Service;
import org.borderwatch.launcher.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dev stack as {@code borderwatch dev} starts it (broker in this JVM, services as child processes from their
 * packaged {@code target/}), on free ports, with demo credentials and a 1-minute window: the simulator's scripted
 * surge fires, escalates and resolves an alert; a service killed with SIGKILL is restarted and the pipeline answers.
 */
class DevStackIT {

    private static final String WINDOWS = "PT1M,PT5M/PT1M,PT1H,PT24H/PT1H,P7D/P1D";
    private static final Duration WAIT = Duration.ofSeconds(150);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ByteArrayOutputStream OUTPUT = new ByteArrayOutputStream();

    private static DevStack stack;
    private static List<DemoCredentials.DemoKey> keys;
    private static Path state;

    @BeforeAll
    static void start() throws IOException {
        state = Path.of(System.getProperty("borderwatch.dev-it.dir", "target/dev-it"))
                .resolve(UUID.randomUUID().toString().substring(0, 8));
        keys = DemoCredentials.ensure(state);
        final Map<Service, Integer> ports = new EnumMap<>(Service.class);
        for (final Service service : Service.values()) {
            ports.put(service, freePort());
        }
        stack = DevStack.start(new DevStack.Options(Path.of(System.getProperty("borderwatch.home", "..")), state,
                freePort(), ports, DemoCredentials.credentialsFile(state), WINDOWS),
                new PrintStream(OUTPUT, true, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldFireEscalateAndResolveTheScriptedAlertWhenAShortScenarioRuns() throws Exception {
        // Given a rule on the 1-minute window: 2 armed incursions in a Tajik region fire, 4 escalate, 0 resolve
        final HttpResponse<String> created = post(Service.AGGREGATOR, "/v1/rules", key("admin"), """
                {"ruleId": "it-incursions-1m", "name": "Armed incursions in one minute", "region": "TJ-*",
                 "threatType": "ARMED_INCURSION", "window": "PT1M", "metric": "EVENT_COUNT", "threshold": 2,
                 "resolveThreshold": 1, "severity": "HIGH", "escalations": [{"threshold": 4, "severity": "CRITICAL"}]}
                """);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        // (the demo rules on the dev stack's 5-minute window are there too)
        await("the demo rules").atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                get(Service.AGGREGATOR, "/v1/rules", key("admin")).body())
                .contains("tj-armed-incursion-5m", "uz-seizure-trend-5m", "tj-online-recruitment-5m"));
        // and a clock minute with at least 35 s left, so the 10 s surge falls into one window
        await("a clock minute with 35 s left").atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200))
                .until(() -> Instant.now().atOffset(ZoneOffset.UTC).getSecond() < 25);

        // When the short scenario runs at twice the speed for 30 s, publishing with the agency's own key
        final Scenario scenario;
        try (InputStream in = getClass().getResourceAsStream("/org/borderwatch/cli/simulate/short-scenario.yml")) {
            scenario = Scenario.parse(in.readAllBytes(), "short-scenario.yml");
        }
        final Map<String, String> agencyKeys = SimulateCommand.keys(scenario,
                Map.of(DemoCredentials.DemoKey.variable("tj-border-guard"), key("tj-border-guard")), "test");
        final ByteArrayOutputStream progress = new ByteArrayOutputStream();
        final Simulation simulation = new Simulation(new Timeline(scenario, 11, 2, 2, Instant.now(),
                Duration.ofSeconds(30)), agencyKeys, stack.url(Service.INGEST), Duration.ofSeconds(60),
                new PrintStream(progress, true, StandardCharsets.UTF_8));
        final Simulation.Totals totals = simulation.run(new AtomicBoolean()::get);

        // Then every report was accepted, the surge announced, and the alert fired, escalated and resolved
        assertThat(totals.rejected()).isZero();
        assertThat(totals.sent()).isGreaterThanOrEqualTo(5);
        assertThat(progress.toString(StandardCharsets.UTF_8))
                .contains("surge: Armed incursion cluster in Gorno-Badakhshan", "surge over:");
        final String alertId = "it-incursions-1m|TJ-GB|ARMED_INCURSION";
        await("FIRED, ESCALATED, RESOLVED of " + alertId).atMost(WAIT).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(changes(alertId)).containsSubsequence("FIRED", "ESCALATED", "RESOLVED"));
    }

    @Test
    void shouldKeepTheGeneratedWebhookSecretKeyOwnerOnlyInTheDataDirectoryWhenTheStackRuns() throws Exception {
        // The alert service refuses to start without a key: it is healthy, so it got the one dev generated
        final Path file = state.resolve(DevStack.SECRET_KEYS);
        assertThat(System.getenv(SecretKeyRing.ENV)).as("the test's environment sets no key of its own").isNull();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        final String configured = Files.readString(file, StandardCharsets.UTF_8).trim();
        assertThat(SecretKeyRing.parse(configured).ids()).hasSize(1);
        // A later start (the same data directory) reads the same key, so stored secrets stay readable
        assertThat(SecretKeyRing.ensureFile(file)).isEqualTo(configured);
        final HttpResponse<String> created = post(Service.ALERT, "/v1/subscriptions", key("ops-dushanbe"),
                "{\"channel\": \"sse\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    @Test
    void shouldRestartAServiceAndKeepThePipelineAnsweringWhenItsProcessIsKilled() throws Exception {
        // Given the running ingest service
        final ServiceProcess ingest = stack.process(Service.INGEST);
        final int restartsBefore = stack.restarts(Service.INGEST);

        // When its process is killed (SIGKILL, by the PID the stack started)
        ingest.kill();

        // Then the stack starts it again, says so, and a report published afterwards is counted by the aggregator
        await("ingest restarted").atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(stack.restarts(Service.INGEST)).isEqualTo(restartsBefore + 1);
            assertThat(stack.process(Service.INGEST).pid()).isNotEqualTo(ingest.pid());
            assertThat(OUTPUT.toString(StandardCharsets.UTF_8)).contains("ingest (pid " + ingest.pid()
                    + ") exited with code 137", "restarting it in 1 s", "ingest is back (pid "
                    + stack.process(Service.INGEST).pid());
        });
        assertThat(stack.process(Service.INGEST).log()).content().contains("borderwatch dev: ingest (pid "
                + ingest.pid() + ") exited with code 137");
        final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        final HttpResponse<String> published = post(Service.INGEST, "/v1/incidents", key("kg-drug-control"), """
                {"eventId": "%s", "agencyId": "KG-DRUG-CONTROL", "occurredAt": "%s", "region": "KG-N",
                 "severity": "LOW", "confidence": "CONFIRMED", "threatType": "GOODS_SMUGGLING",
                 "detectedBy": "PATROL"}
                """.formatted(UUID.randomUUID(), now));
        assertThat(published.statusCode()).as(published.body()).isEqualTo(202);
        await("the report counted in KG-N").atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            final HttpResponse<String> answer = get(Service.AGGREGATOR,
                    "/v1/aggregates?region=KG-N&window=PT1H&threatType=GOODS_SMUGGLING", key("analyst"));
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(JSON.readTree(answer.body()).path("aggregates").findValues("eventCount"))
                    .extracting(JsonNode::asInt).contains(1);
        });
    }

    private static List<String> changes(final String alertId) throws IOException, InterruptedException {
        final HttpResponse<String> answer = get(Service.ALERT, "/v1/alerts/"
                + URLEncoder.encode(alertId, StandardCharsets.UTF_8).replace("+", "%20"), key("analyst"));
        final List<String> changes = new ArrayList<>();
        if (answer.statusCode() == 200) {
            JSON.readTree(answer.body()).path("history").forEach(change -> changes.add(change.path("change").asText()));
        }
        return changes;
    }

    private static String key(final String name) {
        return DemoCredentials.find(keys, name).orElseThrow().key();
    }

    private static HttpResponse<String> post(final Service service, final String path, final String key,
                                             final String json) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(stack.url(service) + path))
                .header("X-API-Key", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(final Service service, final String path, final String key)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(stack.url(service) + path)).header("X-API-Key", key)
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
