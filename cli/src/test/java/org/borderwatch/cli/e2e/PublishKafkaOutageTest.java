package org.borderwatch.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.borderwatch.cli.publish.PublishCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code borderwatch publish} when things are not there: a missing file, an ingest API nobody listens on, and the
 * real ingest service with its broker stopped (every batch answered with its lines failed, Retry-After 1 s). Each
 * ends in one sentence and a documented exit code, never a stack trace or a message ending in "null"; with Kafka
 * down the command backs off, gives up after --give-up-after and reports the lines whose outcome is unknown; once
 * the broker is back, publishing the same file again is accepted.
 */
class PublishKafkaOutageTest {

    @TempDir
    static Path state;

    private static IngestStack stack;
    private static String key;

    @BeforeAll
    static void startStack() throws Exception {
        stack = new IngestStack(state, Map.of("borderwatch.ingest.retry-after", "1s"));
        key = stack.key("tj-border-guard");
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }

    @Test
    void shouldSayOneLineAndExitTwoWhenTheFileDoesNotExist() {
        final CliRun result = publish("--api-key", key, "--url", ingestUrl(), "/nonexistent.ndjson");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().strip()).isEqualTo("publish: cannot read /nonexistent.ndjson: no such file");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void shouldSayTheApiCannotBeReachedAndExitOneWhenNothingListens() throws Exception {
        final int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        final CliRun result = publish("--api-key", key, "--url", "http://127.0.0.1:" + closedPort, example());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("Cannot reach the ingest API at http://127.0.0.1:" + closedPort
                + ": connection refused");
        assertThat(result.out()).contains("40 lines: 0 accepted, 0 rejected, 0 outcome unknown, 40 not sent");
        assertNoStackTraceNorNull(result);
    }

    @Test
    void shouldBackOffReportUnknownOutcomesAndGiveUpWhenKafkaIsDown() {
        // Given the broker is stopped
        stack.kafka.stopBroker(0);
        final CliRun down;
        final long started = System.nanoTime();
        try {
            // When the example file is published with a 6 s budget, two batches of 10 lines in flight
            down = publish("--api-key", key, "--url", ingestUrl(), "--chunk", "10", "--parallel", "2",
                    "--give-up-after", "6s", example());
        } finally {
            stack.kafka.startBroker(0);
        }
        final Duration took = Duration.ofNanos(System.nanoTime() - started);

        // Then it said Kafka is unavailable, retried, stopped with exit 1 within the budget plus the requests in
        // flight, and reported the two chunks in flight as unknown and the rest as not sent
        assertThat(down.exitCode()).as(down.err()).isEqualTo(1);
        assertThat(down.err()).contains("Kafka is unavailable").contains("retrying in")
                .contains("Kafka is unavailable: the ingest API at " + ingestUrl());
        assertThat(down.out()).contains("40 lines: 0 accepted, 0 rejected, 20 outcome unknown, 20 not sent")
                .contains("outcome unknown: lines 1-20").contains("not sent: lines 21-40");
        assertThat(took).isLessThan(Duration.ofSeconds(6 + 2 * 6 + 5));
        assertNoStackTraceNorNull(down);

        // And once the broker is back, the same file again (same eventIds) is accepted
        final CliRun again = publish("--api-key", key, "--url", ingestUrl(), "--give-up-after", "60s", example());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("40 lines: 40 accepted, 0 rejected, 0 outcome unknown, 0 not sent");
    }

    private static void assertNoStackTraceNorNull(final CliRun result) {
        // The ingest service runs in this JVM: its log lines share stderr and are not the CLI's words.
        final String cli = (result.err() + result.out())
                .replaceAll("(?m)\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (WARN|INFO|ERROR) .*$", "");
        assertThat(cli).doesNotContain("\tat ").doesNotContain("Exception")
                .doesNotContainPattern("(?m):\\s*null\\s*$");
    }

    private static String ingestUrl() {
        return stack.url();
    }

    private static String example() {
        return IngestStack.example("tj-incidents.ndjson");
    }

    private static CliRun publish(final String... args) {
        return CliRun.run(new PublishCommand(), args);
    }
}
