package org.borderwatch.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.borderwatch.cli.Main;
import org.borderwatch.cli.dev.DemoCredentials;
import org.borderwatch.cli.publish.PublishCommand;
import org.borderwatch.cli.tail.TailCommand;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

/**
 * What the README promises a new user: with the demo credentials of the dev stack, {@code borderwatch publish}
 * sends the shipped example files through the real ingest service to a real broker, and {@code borderwatch tail}
 * shows exactly those events.
 */
class PublishAndTailTest {

    @TempDir
    static Path state;

    private static EmbeddedKafkaCluster kafka;
    private static EmbeddedServer ingest;
    private static Map<String, String> keys;

    @BeforeAll
    static void startStack() throws Exception {
        kafka = EmbeddedKafkaCluster.builder().brokers(1).build().start();
        kafka.createTopics();
        keys = DemoCredentials.ensure(state).stream()
                .collect(Collectors.toMap(DemoCredentials.DemoKey::name, DemoCredentials.DemoKey::key));
        ingest = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", -1,
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "borderwatch.security.credentials-file", DemoCredentials.credentialsFile(state).toString()));
    }

    @AfterAll
    static void stopStack() {
        if (ingest != null) {
            ingest.getApplicationContext().close();
        }
        kafka.close();
    }

    @Test
    void shouldPublishTheExampleFilesAndTailThemBackWhenUsingTheDemoKeys() throws Exception {
        // When each agency publishes its example file, replayed to now
        final Result incidents = run(new PublishCommand(), "--shift-to-now", "--url", ingestUrl(),
                "--api-key", keys.get("tj-border-guard"), example("tj-incidents.ndjson"));
        final Result seizures = run(new PublishCommand(), "--shift-to-now", "--type", "seizure", "--url", ingestUrl(),
                "--api-key", keys.get("uz-customs"), example("uz-seizures.csv"));

        // Then every line is accepted
        assertThat(incidents.exitCode).as(incidents.out).isZero();
        assertThat(incidents.out).contains("40 lines: 40 accepted, 0 rejected, 0 outcome unknown, 0 not sent");
        assertThat(seizures.exitCode).as(seizures.out).isZero();
        assertThat(seizures.out).contains("25 lines: 25 accepted, 0 rejected, 0 outcome unknown, 0 not sent");

        // And tail shows the same events, decoded, keyed by region
        final List<JsonNode> onTopic = tail("border.incidents.v1");
        assertThat(onTopic).hasSize(40);
        assertThat(onTopic).allSatisfy(line -> assertThat(line.get("key").asText())
                .isEqualTo(line.get("value").get("region").asText()));
        assertThat(onTopic.stream().map(line -> line.get("value").get("agencyId").asText()).collect(Collectors.toSet()))
                .isEqualTo(Set.of("TJ-BORDER-GUARD"));
        final List<JsonNode> seized = tail("border.seizures.v1");
        assertThat(seized).hasSize(25);
        assertThat(seized.get(0).get("value").get("drugType").asText()).isNotBlank();
    }

    @Test
    void shouldReportRejectedLinesByRuleWhenAnAgencyPublishesAnotherAgencysEvents() throws Exception {
        final Result result = run(new PublishCommand(), "--type", "seizure", "--url", ingestUrl(),
                "--api-key", keys.get("kg-drug-control"), example("uz-seizures.csv"));

        assertThat(result.exitCode).isEqualTo(3);
        assertThat(result.out).contains("25 lines: 0 accepted, 25 rejected")
                .contains("agency-mismatch=25").contains("rejected line 2: agencyId agency-mismatch");
    }

    private static String ingestUrl() {
        return "http://127.0.0.1:" + ingest.getPort();
    }

    private static String example(final String name) {
        // Tests run in the module folder; the examples live at the repository root.
        return Path.of("..", "examples", name).toString();
    }

    private static List<JsonNode> tail(final String topic) throws Exception {
        final Result result = run(new TailCommand(), topic, "--no-follow", "--bootstrap-servers",
                kafka.bootstrapServers());
        assertThat(result.exitCode).isZero();
        final ObjectMapper json = new ObjectMapper();
        return result.out.lines().map(line -> {
            try {
                return json.readTree(line);
            } catch (final Exception e) {
                throw new AssertionError("not JSON: " + line, e);
            }
        }).toList();
    }

    private record Result(int exitCode, String out) {
    }

    private static synchronized Result run(final Object command, final String... args) {
        final PrintStream original = System.out;
        final PrintStream originalErr = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            final int code = Main.commandLine(command).execute(args);
            return new Result(code, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
            System.setErr(originalErr);
        }
    }
}
