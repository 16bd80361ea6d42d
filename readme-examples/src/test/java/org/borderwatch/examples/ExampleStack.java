package org.borderwatch.examples;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.borderwatch.bench.process.Service;
import org.borderwatch.bench.process.ServiceLauncher;
import org.borderwatch.bench.process.ServiceProcess;
import org.borderwatch.cli.dev.DemoCredentials;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;

/**
 * The dev stack the READMEs are written for, on ports of its own: a real broker on 127.0.0.1 with the registry's
 * topics, the packaged ingest, aggregator (with the demo rules) and alert service as child processes with the dev
 * stack's settings, and the dev stack's demo credentials. {@link #environment()} is what a reader has after pasting
 * the {@code export} lines {@code ./borderwatch dev} prints; {@link #rewrite} moves the READMEs' default addresses
 * (127.0.0.1:8081/8082/8083/9092) to this stack's, so CI needs none of those ports free.
 */
final class ExampleStack implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final EmbeddedKafkaCluster kafka;
    private final List<ServiceProcess> services = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final Map<String, String> addresses = new LinkedHashMap<>();

    ExampleStack(final Path root, final Path dir) throws IOException {
        kafka = EmbeddedKafkaCluster.builder().brokers(1).dataDir(dir.resolve("kafka")).build().start();
        try {
            kafka.createTopics();
            final List<DemoCredentials.DemoKey> keys = DemoCredentials.ensure(dir);
            final Path credentials = DemoCredentials.credentialsFile(dir);
            final ServiceProcess ingest = start(Service.INGEST, root, dir, credentials, Map.of());
            final ServiceProcess aggregator = start(Service.AGGREGATOR, root, dir, credentials, Map.of(
                    "BORDERWATCH_AGGREGATOR_STATE_DIR", dir.resolve("aggregator-state").toString(),
                    "BORDERWATCH_AGGREGATOR_DEFAULT_RULES_ENABLED", "true"));
            final ServiceProcess alert = start(Service.ALERT, root, dir, credentials, Map.of(
                    "KAFKA_STREAMS_STATE_DIR", dir.resolve("alert-streams").toString(),
                    "BORDERWATCH_ALERT_WEBHOOKS_ALLOW_LOOPBACK", "true"));
            for (final ServiceProcess service : services) {
                awaitHealthy(service);
            }
            addresses.put("127.0.0.1:8081", "127.0.0.1:" + ingest.port());
            addresses.put("127.0.0.1:8082", "127.0.0.1:" + aggregator.port());
            addresses.put("127.0.0.1:8083", "127.0.0.1:" + alert.port());
            addresses.put("127.0.0.1:9092", kafka.bootstrapServers());
            for (final DemoCredentials.DemoKey key : keys) {
                environment.put(variable(key.name()), key.key());
            }
            environment.put("BORDERWATCH_API_KEY", environment.get("TJ_BORDER_GUARD_KEY"));
            environment.put("BORDERWATCH_INGEST_URL", "http://127.0.0.1:" + ingest.port());
            environment.put("BORDERWATCH_AGGREGATOR_URL", "http://127.0.0.1:" + aggregator.port());
            environment.put("BORDERWATCH_ALERT_URL", "http://127.0.0.1:" + alert.port());
            environment.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
            // The services are packaged by this very build; ./borderwatch must not start another one.
            environment.put("BORDERWATCH_NO_BUILD", "1");
        } catch (final IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The shared key variable convention: {@code ops-dushanbe} → {@code OPS_DUSHANBE_KEY}. */
    static String variable(final String principal) {
        return principal.toUpperCase(Locale.ROOT).replace('-', '_') + "_KEY";
    }

    Map<String, String> environment() {
        return Map.copyOf(environment);
    }

    /** The example's text with the default addresses replaced by this stack's. */
    String rewrite(final String code) {
        String rewritten = code;
        for (final Map.Entry<String, String> address : addresses.entrySet()) {
            rewritten = rewritten.replace(address.getKey(), address.getValue());
        }
        return rewritten;
    }

    private ServiceProcess start(final Service service, final Path root, final Path dir, final Path credentials,
                                 final Map<String, String> env) {
        final ServiceProcess process = ServiceLauncher.of(service, root.resolve("services")
                        .resolve(service.shortName()).resolve("target"), dir.resolve("logs"), credentials)
                .start(kafka.bootstrapServers(), "384m", List.of(), env);
        services.add(process);
        return process;
    }

    private static void awaitHealthy(final ServiceProcess service) {
        final HttpClient http = HttpClient.newHttpClient();
        await(service.name() + " healthy (log " + service.log() + ")").atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(250)).until(() -> {
                    if (!service.isAlive()) {
                        throw new IllegalStateException(service.name() + " exited; see " + service.log());
                    }
                    try {
                        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port()
                                        + "/health")).timeout(Duration.ofSeconds(5)).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    } catch (final IOException e) {
                        return false;
                    }
                });
    }

    @Override
    public void close() {
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).stop(Duration.ofSeconds(15));
        }
        kafka.close();
    }
}
