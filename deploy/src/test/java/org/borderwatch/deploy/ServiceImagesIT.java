package org.borderwatch.deploy;

import org.borderwatch.credentials.CredentialsWriter;
import org.borderwatch.kafka.access.AccessPolicy;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.borderwatch.kafka.embedded.Security;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The services' container images, as {@code mvn -Pimages package} builds them: each runs as a non-root user with a
 * container-aware JVM, holds everything its entrypoint's class path names, starts on a secured broker with its own
 * SCRAM principal, passes the health check that docker-compose.yml gives it, and stops on SIGTERM.
 */
class ServiceImagesIT {

    private static final Path ROOT = Path.of(System.getProperty("borderwatch.repository.root", "..")).normalize();
    private static final Map<String, String> MAIN_CLASSES = Map.of(
            "ingest", "org.borderwatch.ingest.Application",
            "aggregator", "org.borderwatch.aggregator.Application",
            "alert", "org.borderwatch.alert.Application");
    private static final Map<String, Integer> PORTS = Map.of("ingest", 8081, "aggregator", 8082, "alert", 8083);
    private static final Map<String, String> PRINCIPALS = Map.of(
            "ingest", AccessPolicy.INGEST, "aggregator", AccessPolicy.AGGREGATOR, "alert", AccessPolicy.ALERT);
    /** The metrics the README's "What to watch" names, as /prometheus shows them on a service at rest. */
    private static final Map<String, List<String>> METRICS = Map.of(
            "ingest", List.of("borderwatch_ingest_accepted_total",
                    "borderwatch_ingest_rejected_total{reason=\"malformed-json\"} 1.0", "jvm_memory_used_bytes"),
            "aggregator", List.of("borderwatch_aggregator_streams_running 1.0",
                    "borderwatch_aggregator_late_events_total", "borderwatch_aggregator_duplicate_events_total",
                    "kafka_stream_thread_process_rate", "kafka_stream_thread_commit_latency_max",
                    "kafka_consumer_fetch_manager_records_lag_max", "kafka_consumer_coordinator_rebalance_total",
                    "kafka_producer_record_error_total", "jvm_memory_used_bytes"),
            "alert", List.of("borderwatch_alert_webhook_attempts_total", "borderwatch_alert_webhook_delivered_total",
                    "borderwatch_alert_webhook_final_failures_total", "borderwatch_alert_webhook_pending",
                    "borderwatch_alert_webhook_lag_seconds", "borderwatch_alert_sse_connections",
                    "borderwatch_alert_sse_overflows_total", "jvm_memory_used_bytes"));

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ADMIN_KEY = "bw_images_it_admin_key_0123456789abcdef";

    @TempDir
    static Path dir;

    private static EmbeddedKafkaCluster kafka;
    private static Path credentials;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafkaCluster.builder().security(Security.saslSsl()).build().start();
        kafka.createTopics();
        credentials = CredentialsWriter.write(dir.resolve("credentials.yml"), List.of(
                CredentialsWriter.Entry.admin("admin", ADMIN_KEY, "*")));
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ingest", "aggregator", "alert"})
    void shouldRunAsNonRootWithContainerAwareJvmWhenTheImageIsBuilt(final String service) throws IOException {
        final ServiceImage image = ServiceImage.unpack(ROOT, service, dir);

        assertThat(image.repoTags()).containsExactly("borderwatch/" + service + ":" + projectVersion())
                .containsExactly(ComposeFile.load(ROOT).image(ComposeFile.firstInstance(service)));
        final String user = image.container().get("User").asText();
        assertThat(user).matches("[1-9][0-9]*:[0-9]+").doesNotStartWith("0:");
        final List<String> entrypoint = image.entrypoint();
        assertThat(entrypoint.get(0)).isEqualTo("java");
        assertThat(entrypoint).contains("-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError")
                .noneMatch(arg -> arg.startsWith("-Xmx"))
                .endsWith(MAIN_CLASSES.get(service));
        assertThat(image.container().get("ExposedPorts").has(PORTS.get(service) + "/tcp")).isTrue();
        assertThat(image.environment()).containsEntry("MICRONAUT_SERVER_HOST", "0.0.0.0");
        // Every class path entry is in the layers: the service's jar and each runtime dependency.
        final String classPath = Files.readString(image.rootfs().resolve("app/jib-classpath-file")).strip();
        for (final String entry : classPath.split(":")) {
            final Path inImage = image.rootfs().resolve(entry.substring(1).replace("/*", ""));
            assertThat(inImage).as(entry).exists();
        }
        assertThat(image.rootfs().resolve("app/classpath/borderwatch-" + service + "-" + projectVersion() + ".jar"))
                .isRegularFile();
        // Nothing secret is baked in: credentials, key stores and .env are mounted at run time.
        try (Stream<Path> files = Files.walk(image.rootfs())) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .noneMatch(name -> name.endsWith(".p12") || name.endsWith(".key") || name.equals(".env")
                            || name.startsWith("credentials"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ingest", "aggregator", "alert"})
    void shouldPassTheComposeHealthCheckAsItsOwnPrincipalWhenTheImageRuns(final String service) throws Exception {
        final ServiceImage image = ServiceImage.unpack(ROOT, service, dir.resolve("run"));
        image.addFile(credentials, "/run/secrets/borderwatch-credentials");
        final Map<String, String> env = new LinkedHashMap<>();
        kafka.clientProperties(PRINCIPALS.get(service)).forEach((key, value) -> {
            if (key.equals("ssl.truststore.location")) {
                image.addFile(Path.of(value.toString()), "/run/secrets/kafka-truststore");
                value = "/run/secrets/kafka-truststore";
            }
            env.put("KAFKA_" + key.toUpperCase().replace('.', '_'), value.toString());
        });
        env.put("BORDERWATCH_SECURITY_CREDENTIALS_FILE", "/run/secrets/borderwatch-credentials");
        if (service.equals("alert")) {
            // As compose passes it from .env: the key that encrypts webhook secrets (required).
            final byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            env.put("BORDERWATCH_SECRET_KEYS", "k1:" + Base64.getEncoder().encodeToString(key));
        }
        final int port = freePort();
        env.put("MICRONAUT_SERVER_PORT", Integer.toString(port));
        final Path log = Files.createDirectories(ROOT.resolve("deploy/target/images")).resolve(service + ".log");
        Files.deleteIfExists(log);
        final List<String> healthCheck = ComposeFile.load(ROOT).healthCheck(ComposeFile.firstInstance(service),
                PORTS.get(service), port);

        final Process process = image.start(env, log);
        try {
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                assertThat(process.isAlive()).as("the service exited; see " + log).isTrue();
                assertThat(exitCode(healthCheck)).as("compose health check " + healthCheck).isZero();
            });

            if (service.equals("ingest")) {
                // Its meters exist from the first report on; a malformed one is refused and counted.
                assertThat(post(port, "/v1/incidents", "{")).isEqualTo(400);
            }
            // What an operator watches is exported (kept for reading in deploy/target/images/).
            final Path metrics = log.resolveSibling(service + ".prometheus");
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(5)).untilAsserted(() -> {
                Files.writeString(metrics, get(port, "/prometheus"));
                assertThat(Files.readString(metrics)).contains(METRICS.get(service));
            });
            assertThat(statusLine(process.pid(), "Uid:")).as("the JVM's user ids")
                    .startsWith(image.container().get("User").asText().split(":")[0] + "\t");
            if (service.equals("aggregator")) {
                // Kafka Streams wrote its state into the image's state directory (a volume in compose).
                final Path state = image.rootfs().resolve("var/lib/borderwatch/aggregator");
                try (Stream<Path> files = Files.list(state)) {
                    assertThat(files.filter(Files::isDirectory)).isNotEmpty()
                            .allMatch(path -> uid(path) == 10001);
                }
            }
        } finally {
            final long stopping = System.nanoTime();
            process.destroy();
            final boolean stopped = process.waitFor(60, TimeUnit.SECONDS);
            if (!stopped) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            System.out.printf("%s stopped %s after SIGTERM in %d ms%n", service, stopped ? "by itself" : "NOT",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping));
            assertThat(stopped).as(service + " stops on SIGTERM within 60 s").isTrue();
        }
    }

    private static String projectVersion() {
        return System.getProperty("borderwatch.project.version", "0.1.0-SNAPSHOT");
    }

    private static int exitCode(final List<String> command) throws IOException, InterruptedException {
        final Process check = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!check.waitFor(10, TimeUnit.SECONDS)) {
            check.destroyForcibly();
            return -1;
        }
        return check.exitValue();
    }

    private static String get(final int port, final String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int post(final int port, final String path, final String body)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("X-API-Key", ADMIN_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String statusLine(final long pid, final String prefix) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8).stream()
                .filter(line -> line.startsWith(prefix))
                .map(line -> line.substring(prefix.length()).strip())
                .findFirst().orElseThrow();
    }

    private static int uid(final Path path) {
        try {
            return (Integer) Files.getAttribute(path, "unix:uid");
        } catch (final IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
