package org.borderwatch.cli.dev;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.borderwatch.cli.simulate.Publisher;
import org.borderwatch.cli.simulate.Scenario;
import org.borderwatch.cli.simulate.SimulateCommand;
import org.borderwatch.cli.simulate.Simulation;
import org.borderwatch.cli.simulate.Timeline;
import org.borderwatch.launcher.Service;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code borderwatch dev}: the {@link DevStack} with demo credentials (or the operator's own), supervised until
 * Ctrl-C, which stops the services first, then the broker. The console's address and a sign-in key come first in
 * what it prints, then the keys as {@code export} lines (also in {@code .borderwatch/demo-keys.env}).
 */
@Command(name = "dev", mixinStandardHelpOptions = true,
        description = "Run the pipeline on an embedded Kafka broker, with demo credentials; restarts a service that dies.")
public final class DevCommand implements Callable<Integer> {

    @Option(names = "--home", defaultValue = "${env:BORDERWATCH_HOME:-.}",
            description = "Repository root (set by ./borderwatch)")
    Path home;

    @Option(names = "--data-dir", description = "State of the dev stack (default: <home>/.borderwatch)")
    Path dataDir;

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Broker port on 127.0.0.1 (default: ${DEFAULT-VALUE})")
    int kafkaPort;

    @Option(names = "--simulate", description = "Also run the simulator's default scenario against the stack (see `simulate`)")
    boolean simulate;

    @Option(names = "--credentials", paramLabel = "FILE",
            description = "Run with this credentials file (format in the README) instead of demo keys; no keys are printed")
    Path credentials;

    @Override
    public Integer call() throws Exception {
        final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        final Path root = home.toAbsolutePath().normalize();
        final Path state = dataDir != null ? dataDir.toAbsolutePath() : root.resolve(".borderwatch");
        final List<DemoCredentials.DemoKey> keys;
        final Path credentialsFile;
        if (credentials != null) {
            if (!Files.isReadable(credentials)) {
                out.println("The credentials file " + credentials.toAbsolutePath() + " cannot be read.");
                return 2;
            }
            keys = List.of();
            credentialsFile = credentials.toAbsolutePath();
        } else {
            keys = DemoCredentials.ensure(state);
            credentialsFile = DemoCredentials.credentialsFile(state);
        }
        final CountDownLatch stopped = new CountDownLatch(1);
        final DevStack stack;
        try {
            stack = DevStack.start(new DevStack.Options(root, state, kafkaPort, DevStack.Options.defaultPorts(),
                    credentialsFile), out);
        } catch (final IllegalStateException e) {
            out.println(e.getMessage());
            return 1;
        }
        final AtomicBoolean stopping = new AtomicBoolean();
        final Thread simulator;
        try {
            simulator = simulate ? simulator(keys, stack, stopping, out) : null;
        } catch (final IllegalArgumentException e) {
            out.println(e.getMessage());
            stack.close();
            return 2;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            if (simulator != null) {
                simulator.interrupt();
            }
            out.println("\nStopping services, then Kafka ...");
            stack.close();
            out.println("Stopped. Data is kept in " + state + " for the next start.");
            stopped.countDown();
        }, "borderwatch-dev-shutdown"));
        printWelcome(out, stack, keys, state, credentialsFile);
        if (simulator != null) {
            simulator.start();
        }
        stopped.await();
        return 0;
    }

    /**
     * The default scenario against this stack, in a thread of its own: with demo keys, or with the operator's
     * agency keys from the environment ({@code TJ_BORDER_GUARD_KEY} ...) when the stack runs on their credentials.
     * It keeps retrying while a service restarts and stops with the stack.
     */
    private static Thread simulator(final List<DemoCredentials.DemoKey> keys, final DevStack stack,
                                    final AtomicBoolean stopping, final PrintStream out) {
        final Scenario scenario = Scenario.builtIn();
        final Map<String, String> environment = new HashMap<>(System.getenv());
        keys.forEach(key -> environment.putIfAbsent(key.variable(), key.key()));
        final Map<String, String> agencyKeys = SimulateCommand.keys(scenario, environment,
                "the demo keys and the environment");
        final long seed = new SecureRandom().nextLong();
        final Timeline timeline = new Timeline(scenario, seed, Scenario.perMinute(scenario.rate()), 1, Instant.now(),
                null);
        final Simulation simulation = new Simulation(timeline, agencyKeys, stack.url(Service.INGEST),
                Duration.ofDays(365), out);
        final Thread thread = new Thread(() -> {
            out.println("Simulating \"" + scenario.name() + "\" (seed " + seed + "; ./borderwatch simulate --help"
                    + " for more)");
            try {
                simulation.run(stopping::get);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (final Publisher.FatalException e) {
                out.println("The simulator stopped: " + e.getMessage());
            }
        }, "borderwatch-dev-simulator");
        thread.setDaemon(true);
        return thread;
    }

    private static void printWelcome(final PrintStream out, final DevStack stack, final List<DemoCredentials.DemoKey> keys,
                                     final Path state, final Path credentialsFile) {
        final String console = stack.url(Service.ALERT) + "/";
        out.println();
        if (keys.isEmpty()) {
            out.println("Console: " + console + "   sign in with an ops-center, analyst or admin key of "
                    + credentialsFile);
        } else {
            out.println("Console: " + console + "   sign in as " + DemoCredentials.CONSOLE_USER + " with "
                    + DemoCredentials.find(keys, DemoCredentials.CONSOLE_USER).orElseThrow().key());
        }
        out.println();
        out.println("borderwatch is running. Ctrl-C stops it; a service that dies is restarted.");
        out.println("  Kafka      " + stack.bootstrapServers());
        for (final Service service : Service.values()) {
            final String url = stack.url(service);
            out.printf("  %-10s %s   (health %s/health, metrics %s/prometheus)%n", service.shortName(), url, url, url);
        }
        if (keys.isEmpty()) {
            return;
        }
        out.println();
        out.println("Demo API keys (the services hold only their SHA-256 hashes, in " + credentialsFile + "):");
        for (final DemoCredentials.DemoKey key : keys) {
            out.printf("  %-17s %-10s %-17s %s%n", key.name(), key.role(),
                    key.agencyId().isEmpty() ? "-" : key.agencyId(), key.regions());
        }
        out.println();
        out.println("Paste into another terminal (or: source " + state.resolve(DemoCredentials.ENV) + "):");
        DemoCredentials.exports(keys).lines().forEach(line -> out.println("  " + line));
        out.println();
        out.println("Then try:");
        out.println("  curl -N " + stack.url(Service.ALERT) + "/v1/alerts/stream -H \"X-API-Key: $OPS_DUSHANBE_KEY\"");
        out.println("  ./borderwatch publish --shift-to-now examples/tj-incidents.ndjson");
        out.println("  ./borderwatch simulate              # or start the stack with ./borderwatch dev --simulate");
        out.println("  ./borderwatch query top --metric EVENT_COUNT --window PT1H --api-key \"$ANALYST_KEY\"");
        out.println("  ./borderwatch rules list --api-key \"$ADMIN_KEY\"");
    }
}
