package org.borderwatch.cli.dev;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

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
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("\nStopping services, then Kafka ...");
            stack.close();
            out.println("Stopped. Data is kept in " + state + " for the next start.");
            stopped.countDown();
        }, "borderwatch-dev-shutdown"));
        printWelcome(out, stack, keys, state, credentialsFile);
        stopped.await();
        return 0;
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
        out.println("  ./borderwatch simulate");
        out.println("  ./borderwatch query top --metric EVENT_COUNT --window PT1H --api-key \"$ANALYST_KEY\"");
        out.println("  ./borderwatch rules list --api-key \"$ADMIN_KEY\"");
    }
}
