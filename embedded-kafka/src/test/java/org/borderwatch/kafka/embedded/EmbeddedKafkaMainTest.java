package org.borderwatch.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the launcher as scripts do: a separate JVM, the READY line on stdout, SIGTERM to stop. */
class EmbeddedKafkaMainTest {

    @TempDir
    Path workDir;

    private Process process;

    @AfterEach
    void stopProcess() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldPrintOneReadyLineAndStopCleanlyWhenTerminated() throws Exception {
        process = launch("--data-dir", workDir.resolve("kafka").toString(), "--port", "0", "--no-topics");
        final BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));

        final String ready = CompletableFuture.supplyAsync(() -> readLine(stdout)).get(60, TimeUnit.SECONDS);
        assertThat(ready).matches("borderwatch-kafka READY bootstrap=127\\.0\\.0\\.1:\\d+");

        // SIGTERM; Process.destroy() would also close our end of stdout.
        assertThat(process.toHandle().destroy()).isTrue();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
        assertThat(remainingLines(stdout)).as("nothing else on stdout").isEmpty();
        assertThat(workDir.resolve("kafka").resolve(EmbeddedKafkaCluster.CLUSTER_FILE)).exists();
    }

    @Test
    void shouldServeSaslSslAndWriteClientSettingsWhenLaunchedWithSaslSsl() throws Exception {
        final Path dataDir = workDir.resolve("kafka");
        process = launch("--data-dir", dataDir.toString(), "--port", "0", "--no-topics", "--sasl-ssl");
        final BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));

        final String ready = CompletableFuture.supplyAsync(() -> readLine(stdout)).get(90, TimeUnit.SECONDS);
        assertThat(ready).matches("borderwatch-kafka READY bootstrap=127\\.0\\.0\\.1:\\d+");

        // The admin's settings file is all a tool needs to reach the secured broker
        final Properties admin = new Properties();
        final Path settings = dataDir.resolve(SecurityFiles.DIR).resolve("client-admin.properties");
        try (Reader reader = Files.newBufferedReader(settings)) {
            admin.load(reader);
        }
        assertThat(admin.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        try (Admin client = Admin.create(admin)) {
            assertThat(client.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
        }
        assertThat(Files.readString(workDir.resolve("stderr.txt"))).contains("client-<user>.properties")
                .doesNotContain(admin.getProperty("sasl.jaas.config"));

        assertThat(process.toHandle().destroy()).isTrue();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
    }

    @Test
    void shouldExitWithCodeOneWhenThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));

            process = launch("--data-dir", workDir.resolve("kafka").toString(),
                    "--port", Integer.toString(taken.getLocalPort()));

            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(1);
            assertThat(Files.readString(workDir.resolve("stderr.txt")))
                    .contains("127.0.0.1:" + taken.getLocalPort() + " is already in use");
        }
    }

    private Process launch(final String... args) throws Exception {
        final List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), EmbeddedKafkaMain.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectError(workDir.resolve("stderr.txt").toFile())
                .start();
    }

    private static String readLine(final BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> remainingLines(final BufferedReader reader) throws IOException {
        final List<String> lines = new ArrayList<>();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lines.add(line);
        }
        return lines;
    }
}
