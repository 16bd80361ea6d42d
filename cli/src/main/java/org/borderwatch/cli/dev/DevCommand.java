package org.borderwatch.cli.dev;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The dev stack: a real single-node KRaft broker in this JVM (data kept in {@code .borderwatch/kafka}, so a restart
 * loses nothing), the topics, demo credentials, and each service as a child JVM. Ctrl-C stops the services first,
 * then the broker.
 */
@Command(name = "dev", mixinStandardHelpOptions = true,
        description = "Run the pipeline on an embedded Kafka broker, with demo credentials.")
public final class DevCommand implements Callable<Integer> {

    /** The services of the stack, in start order. */
    static final List<ServiceProcess> SERVICES = List.of(
            new ServiceProcess("ingest", "services/ingest", "borderwatch-ingest",
                    "org.borderwatch.ingest.Application", 8081, Map.of()),
            new ServiceProcess("aggregator", "services/aggregator", "borderwatch-aggregator",
                    "org.borderwatch.aggregator.Application", 8082, Map.of(
                            "BORDERWATCH_AGGREGATOR_STATE_DIR", "{state}/aggregator-state",
                            // The demo rule set, published once when the rules topic lacks it.
                            "BORDERWATCH_AGGREGATOR_DEFAULT_RULES_ENABLED", "true")),
            new ServiceProcess("alert", "services/alert", "borderwatch-alert",
                    "org.borderwatch.alert.Application", 8083, Map.of(
                            "KAFKA_STREAMS_STATE_DIR", "{state}/alert-streams",
                            // Webhook receivers of a dev machine run on loopback; production refuses them (SSRF).
                            "BORDERWATCH_ALERT_WEBHOOKS_ALLOW_LOOPBACK", "true")));

    @Option(names = "--home", defaultValue = "${env:BORDERWATCH_HOME:-.}",
            description = "Repository root (set by ./borderwatch)")
    Path home;

    @Option(names = "--data-dir", description = "State of the dev stack (default: <home>/.borderwatch)")
    Path dataDir;

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Broker port on 127.0.0.1 (default: ${DEFAULT-VALUE})")
    int kafkaPort;

    @Override
    public Integer call() throws Exception {
        final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        final Path root = home.toAbsolutePath().normalize();
        final Path state = dataDir != null ? dataDir.toAbsolutePath() : root.resolve(".borderwatch");
        final Path logs = state.resolve("logs");
        final List<Process> running = new ArrayList<>();
        final CountDownLatch stopped = new CountDownLatch(1);
        final AtomicBoolean stopping = new AtomicBoolean();

        out.println("Starting Kafka (KRaft, 127.0.0.1:" + kafkaPort + ", data in " + state.resolve("kafka") + ") ...");
        final EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder()
                .brokers(1).port(kafkaPort).dataDir(state.resolve("kafka")).build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            out.println("\nStopping services ...");
            running.forEach(Process::destroy);
            for (final Process process : running) {
                try {
                    if (!process.waitFor(20, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            out.println("Stopping Kafka ...");
            kafka.close();
            out.println("Stopped. Data is kept in " + state + " for the next start.");
            stopped.countDown();
        }, "borderwatch-dev-shutdown"));
        kafka.start();
        final List<String> created = kafka.createTopics();
        out.println("Kafka ready at " + kafka.bootstrapServers()
                + (created.isEmpty() ? " (topics already there)" : " (created " + created.size() + " topics)"));

        final List<DemoCredentials.DemoKey> keys = DemoCredentials.ensure(state);
        final Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("BORDERWATCH_SECURITY_CREDENTIALS_FILE", DemoCredentials.credentialsFile(state).toString());

        for (final ServiceProcess service : SERVICES) {
            out.println("Starting " + service.name() + " (log: " + logs.resolve(service.name() + ".log") + ") ...");
            final Process process = service.start(root, state, env);
            running.add(process);
            if (!service.awaitHealthy(process, Duration.ofSeconds(120))) {
                out.println(service.name() + " did not become healthy; the end of its log:");
                tail(logs.resolve(service.name() + ".log"), 30).forEach(line -> out.println("  " + line));
                System.exit(1);
            }
        }
        printWelcome(out, kafka.bootstrapServers(), keys, state);
        // Runs until Ctrl-C (the shutdown hook stops everything) or a service dies.
        while (stopped.getCount() > 0) {
            for (int i = 0; i < running.size() && !stopping.get(); i++) {
                if (!running.get(i).isAlive()) {
                    final ServiceProcess service = SERVICES.get(i);
                    out.println(service.name() + " exited with code " + running.get(i).exitValue()
                            + "; the end of its log:");
                    tail(logs.resolve(service.name() + ".log"), 30).forEach(line -> out.println("  " + line));
                    System.exit(1);
                }
            }
            stopped.await(1, TimeUnit.SECONDS);
        }
        return 0;
    }

    private static void printWelcome(final PrintStream out, final String bootstrap,
                                     final List<DemoCredentials.DemoKey> keys, final Path state) {
        out.println();
        out.println("borderwatch is running. Ctrl-C stops it.");
        out.println("  Kafka      " + bootstrap);
        for (final ServiceProcess service : SERVICES) {
            out.printf("  %-10s %s   (health %s/health, metrics %s/prometheus)%n", service.name(), service.url(),
                    service.url(), service.url());
        }
        out.println();
        out.println("Demo API keys (the services hold only their SHA-256 hashes, in " + state.resolve("credentials.yml") + "):");
        for (final DemoCredentials.DemoKey key : keys) {
            out.printf("  %-16s %-10s %-16s %-10s %s%n", key.name(), key.role(),
                    key.agencyId().isEmpty() ? "-" : key.agencyId(), key.regions(), key.key());
        }
        final String agencyKey = keyOf(keys, "tj-border-guard");
        out.println();
        out.println("Try it (in another terminal):");
        out.println("  curl -N http://127.0.0.1:8083/v1/alerts/stream -H 'X-API-Key: " + keyOf(keys, "ops-dushanbe") + "'");
        out.println("  export BORDERWATCH_API_KEY=" + agencyKey);
        out.println("  ./borderwatch publish --shift-to-now examples/tj-incidents.ndjson");
        out.println("  ./borderwatch tail border.incidents.v1");
        out.println("  ./borderwatch query top --metric EVENT_COUNT --window PT1H --api-key " + keyOf(keys, "analyst"));
        out.println("  ./borderwatch rules list --api-key " + keyOf(keys, "admin"));
    }

    private static String keyOf(final List<DemoCredentials.DemoKey> keys, final String name) {
        return keys.stream().filter(key -> key.name().equals(name)).findFirst()
                .map(DemoCredentials.DemoKey::key).orElseThrow();
    }

    private static List<String> tail(final Path file, final int lines) {
        try {
            final List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (final IOException e) {
            return List.of("(no log: " + e.getMessage() + ")");
        }
    }
}
