package org.borderwatch.cli.dev;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.borderwatch.credentials.SecretKeyRing;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.borderwatch.launcher.Service;
import org.borderwatch.launcher.ServiceLauncher;
import org.borderwatch.launcher.ServiceProcess;

/**
 * The dev stack: a real single-node KRaft broker in this JVM (data kept in {@code <state>/kafka}), the topics, and
 * each service as a child JVM started by the shared {@link ServiceLauncher}, each appending to
 * {@code <state>/logs/<service>.log}. A service that exits while the stack runs is started again after a backoff
 * (1 s, doubling up to 30 s; back to 1 s once a run lasted {@value #STABLE_SECONDS} s): the terminal and the
 * service's log say why (exit code, the end of its log) and when. The broker is never restarted. {@link #close()}
 * stops the services, then the broker.
 */
public final class DevStack implements AutoCloseable {

    /**
     * The aggregator's default windows plus a 5-minute window hopping by a minute, which the demo rules with
     * {@code -5m} ids use: an alert of theirs resolves within five minutes of a surge's end.
     */
    public static final String WINDOWS = "PT1H,PT24H/PT1H,P7D/P1D,PT5M/PT1M";
    /** The generated webhook-secret key in the data directory (owner-only, git-ignored with it). */
    static final String SECRET_KEYS = "secret-keys";

    static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final long STABLE_SECONDS = 60;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    /**
     * @param root            repository root (the services' {@code target/} directories)
     * @param state           the stack's folder: {@code kafka/}, {@code logs/}, services' state
     * @param kafkaPort       broker port on 127.0.0.1
     * @param ports           HTTP port per service on 127.0.0.1
     * @param credentialsFile the file every service reads
     * @param windows         the aggregator's windows ({@link #WINDOWS} in the dev stack)
     */
    public record Options(Path root, Path state, int kafkaPort, Map<Service, Integer> ports, Path credentialsFile,
                          String windows) {

        public Options {
            ports = Map.copyOf(ports);
        }

        /** With the dev stack's windows, {@link #WINDOWS}. */
        public Options(final Path root, final Path state, final int kafkaPort, final Map<Service, Integer> ports,
                       final Path credentialsFile) {
            this(root, state, kafkaPort, ports, credentialsFile, WINDOWS);
        }

        /** The default ports: broker 9092, ingest 8081, aggregator 8082, alert 8083. */
        public static Map<Service, Integer> defaultPorts() {
            final Map<Service, Integer> ports = new EnumMap<>(Service.class);
            for (final Service service : Service.values()) {
                ports.put(service, service.defaultPort());
            }
            return ports;
        }
    }

    private final Options options;
    private final PrintStream out;
    private final EmbeddedKafkaCluster kafka;
    private final Map<Service, ServiceLauncher> launchers = new EnumMap<>(Service.class);
    private final Map<Service, ServiceProcess> running = new EnumMap<>(Service.class);
    private final Map<Service, Integer> restarts = new EnumMap<>(Service.class);
    private final ScheduledExecutorService supervisor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        final Thread thread = new Thread(runnable, "borderwatch-dev-supervisor");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean closing;
    private List<String> createdTopics = List.of();

    private DevStack(final Options options, final PrintStream out) {
        this.options = options;
        this.out = out;
        this.kafka = EmbeddedKafkaCluster.builder()
                .brokers(1).port(options.kafkaPort()).dataDir(options.state().resolve("kafka")).build();
    }

    /**
     * Starts the broker, creates missing topics, starts every service and waits until each answers {@code /health};
     * throws (after stopping what it started) when one does not within two minutes, naming its log.
     */
    public static DevStack start(final Options options, final PrintStream out) throws IOException {
        final DevStack stack = new DevStack(options, out);
        try {
            stack.startAll();
            return stack;
        } catch (final IOException | RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() throws IOException {
        out.println("Starting Kafka (KRaft, 127.0.0.1:" + options.kafkaPort() + ", data in "
                + options.state().resolve("kafka") + ") ...");
        kafka.start();
        createdTopics = kafka.createTopics();
        out.println("Kafka ready at " + kafka.bootstrapServers()
                + (createdTopics.isEmpty() ? " (topics already there)" : " (created " + createdTopics.size() + " topics)"));
        final Path logs = options.state().resolve("logs");
        for (final Service service : Service.values()) {
            final ServiceLauncher launcher = ServiceLauncher.of(service, service.home(options.root()), logs,
                    options.credentialsFile()).appendingToOneLog();
            launchers.put(service, launcher);
            out.println("Starting " + service.shortName() + " (log: " + launcher.nextLog() + ") ...");
            final ServiceProcess process = launch(service);
            if (!awaitHealthy(process)) {
                throw new IllegalStateException(service.shortName() + " did not become healthy within "
                        + START_TIMEOUT.toSeconds() + " s; the end of its log (" + process.log() + "):\n"
                        + String.join("\n", tail(process.log(), 30)));
            }
        }
        running.keySet().forEach(this::watch);
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** {@code http://127.0.0.1:<port>} of the service. */
    public String url(final Service service) {
        return "http://127.0.0.1:" + options.ports().get(service);
    }

    /** The process of {@code service} now (a restart replaces it). */
    public synchronized ServiceProcess process(final Service service) {
        return running.get(service);
    }

    /** How often {@code service} was restarted since the stack started. */
    public synchronized int restarts(final Service service) {
        return restarts.getOrDefault(service, 0);
    }

    private ServiceProcess launch(final Service service) {
        final ServiceProcess process = launchers.get(service).start(kafka.bootstrapServers(),
                options.ports().get(service), heap(service), List.of(), env(service));
        synchronized (this) {
            running.put(service, process);
        }
        return process;
    }

    private Map<String, String> env(final Service service) {
        final Map<String, String> env = new LinkedHashMap<>();
        final Path state = options.state();
        switch (service) {
            case AGGREGATOR -> {
                env.put("BORDERWATCH_AGGREGATOR_STATE_DIR", state.resolve("aggregator-state").toString());
                env.put("BORDERWATCH_AGGREGATOR_WINDOWS", options.windows());
                // The demo rule set, published for ids the rules topic never held.
                env.put("BORDERWATCH_AGGREGATOR_DEFAULT_RULES_ENABLED", "true");
            }
            case ALERT -> {
                env.put("KAFKA_STREAMS_STATE_DIR", state.resolve("alert-streams").toString());
                // The key that encrypts webhook secrets: the operator's from the environment (which the services
                // inherit), else the one generated into the data directory at the first start and kept with it.
                if (System.getenv(SecretKeyRing.ENV) == null) {
                    env.put(SecretKeyRing.ENV, secretKeys());
                }
                // Webhook receivers of a dev machine run on loopback; production refuses them (SSRF).
                env.put("BORDERWATCH_ALERT_WEBHOOKS_ALLOW_LOOPBACK", "true");
                // The console's map and region views proxy this aggregator with the service's own credential: the
                // demo analyst's key (regions *); the proxy applies the signed-in principal's regions first. On an
                // operator's credentials file, BORDERWATCH_ALERT_CONSOLE_AGGREGATOR_API_KEY comes from the
                // environment, which the services inherit.
                env.put("BORDERWATCH_ALERT_CONSOLE_AGGREGATOR_URL", url(Service.AGGREGATOR));
                consoleAggregatorKey().ifPresent(key -> env.put("BORDERWATCH_ALERT_CONSOLE_AGGREGATOR_API_KEY", key));
            }
            case INGEST -> {
            }
        }
        return env;
    }

    private String secretKeys() {
        try {
            return SecretKeyRing.ensureFile(options.state().resolve(SECRET_KEYS));
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot make or read " + options.state().resolve(SECRET_KEYS), e);
        }
    }

    private Optional<String> consoleAggregatorKey() {
        if (!options.credentialsFile().equals(DemoCredentials.credentialsFile(options.state()))) {
            return Optional.empty();
        }
        try {
            return DemoCredentials.ensure(options.state()).stream().filter(key -> "analyst".equals(key.name()))
                    .map(DemoCredentials.DemoKey::key).findFirst();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read the demo keys in " + options.state(), e);
        }
    }

    private static String heap(final Service service) {
        return service == Service.INGEST ? "256m" : "512m";
    }

    private static boolean awaitHealthy(final ServiceProcess process) {
        try {
            return process.awaitHealthy(START_TIMEOUT);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Restarts {@code service} when its current process exits, unless the stack is closing. */
    private void watch(final Service service) {
        final ServiceProcess process = process(service);
        final Instant started = Instant.now();
        process.onExit().thenRun(() -> {
            if (closing) {
                return;
            }
            final int restart;
            synchronized (this) {
                restart = restarts.merge(service, 1, Integer::sum);
            }
            final boolean stable = Duration.between(started, Instant.now()).toSeconds() >= STABLE_SECONDS;
            final Duration backoff = stable ? FIRST_BACKOFF : backoff(restart);
            final String why = service.shortName() + " (pid " + process.pid() + ") exited with code "
                    + process.exitCode().orElse(-1) + " at " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS)
                    + "; restarting it in " + backoff.toSeconds() + " s (restart " + restart + ")";
            out.println(why + "; the end of its log (" + process.log() + "):");
            tail(process.log(), 10).forEach(line -> out.println("  " + line));
            appendToLog(process.log(), "---- " + Instant.now() + " borderwatch dev: " + why);
            supervisor.schedule(() -> restart(service), backoff.toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    private void restart(final Service service) {
        if (closing) {
            return;
        }
        try {
            final ServiceProcess process = launch(service);
            watch(service);
            if (awaitHealthy(process)) {
                out.println(service.shortName() + " is back (pid " + process.pid() + ", " + url(service) + ")");
            }
        } catch (final RuntimeException e) {
            out.println("Cannot restart " + service.shortName() + ": " + e.getMessage() + "; trying again in "
                    + MAX_BACKOFF.toSeconds() + " s");
            supervisor.schedule(() -> restart(service), MAX_BACKOFF.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** 1 s, 2 s, 4 s … up to 30 s for the n-th restart in a row. */
    static Duration backoff(final int restart) {
        final Duration backoff = FIRST_BACKOFF.multipliedBy(1L << Math.min(restart - 1, 5));
        return backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff;
    }

    /** Stops supervision, then the services (SIGTERM, SIGKILL after 20 s), last started first, then the broker. */
    @Override
    public void close() {
        closing = true;
        supervisor.shutdownNow();
        final List<Service> order = List.of(Service.ALERT, Service.AGGREGATOR, Service.INGEST);
        for (final Service service : order) {
            final ServiceProcess process = process(service);
            if (process != null) {
                process.stop(STOP_TIMEOUT);
            }
        }
        kafka.close();
    }

    static List<String> tail(final Path file, final int lines) {
        try {
            final List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (final IOException e) {
            return List.of("(no log: " + e.getMessage() + ")");
        }
    }

    private static void appendToLog(final Path log, final String line) {
        try {
            Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (final IOException e) {
            // The terminal has the line already; a log that cannot be written changes nothing.
        }
    }
}
