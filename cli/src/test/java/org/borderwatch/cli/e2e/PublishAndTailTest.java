package org.borderwatch.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.borderwatch.cli.publish.PublishCommand;
import org.borderwatch.cli.tail.TailCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the README promises a new user: with the demo credentials of the dev stack, {@code borderwatch publish}
 * sends the shipped example files through the real ingest service to a real broker, and {@code borderwatch tail}
 * shows exactly those events.
 */
class PublishAndTailTest {

    @TempDir
    static Path state;

    private static IngestStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = new IngestStack(state, Map.of());
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }

    @Test
    void shouldPublishTheExampleFilesAndTailThemBackWhenUsingTheDemoKeys() throws Exception {
        // When each agency publishes its example file, replayed to now, several chunks in flight
        final CliRun incidents = CliRun.run(new PublishCommand(), "--shift-to-now", "--url", stack.url(),
                "--chunk", "7", "--parallel", "3", "--api-key", stack.key("tj-border-guard"),
                IngestStack.example("tj-incidents.ndjson"));
        final CliRun seizures = CliRun.run(new PublishCommand(), "--shift-to-now", "--type", "seizure",
                "--url", stack.url(), "--api-key", stack.key("uz-customs"), IngestStack.example("uz-seizures.csv"));

        // Then every line is accepted
        assertThat(incidents.exitCode()).as(incidents.err()).isZero();
        assertThat(incidents.out()).contains("40 lines: 40 accepted, 0 rejected, 0 outcome unknown, 0 not sent");
        assertThat(seizures.exitCode()).as(seizures.err()).isZero();
        assertThat(seizures.out()).contains("25 lines: 25 accepted, 0 rejected, 0 outcome unknown, 0 not sent");

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
    void shouldReportRejectedLinesByRuleInFileOrderWhenAnAgencyPublishesAnotherAgencysEvents() {
        final CliRun result = CliRun.run(new PublishCommand(), "--type", "seizure", "--url", stack.url(),
                "--chunk", "4", "--parallel", "4", "--api-key", stack.key("kg-drug-control"),
                IngestStack.example("uz-seizures.csv"));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.out()).contains("25 lines: 0 accepted, 25 rejected")
                .contains("agency-mismatch=25").contains("rejected line 2: agencyId agency-mismatch");
        assertThat(result.out().indexOf("rejected line 2:")).isLessThan(result.out().indexOf("rejected line 3:"));
    }

    private static List<JsonNode> tail(final String topic) {
        final CliRun result = CliRun.run(new TailCommand(), topic, "--no-follow", "--bootstrap-servers",
                stack.kafka.bootstrapServers());
        assertThat(result.exitCode()).isZero();
        final ObjectMapper json = new ObjectMapper();
        return result.out().lines().map(line -> {
            try {
                return json.readTree(line);
            } catch (final Exception e) {
                throw new AssertionError("not JSON: " + line, e);
            }
        }).toList();
    }
}
