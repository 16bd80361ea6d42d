package org.borderwatch.bench.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts the packaged aggregator service ({@code org.borderwatch.aggregator.Application}) as a child JVM, exactly as
 * it is run in production: {@code java -cp "<home>/borderwatch-aggregator-<version>.jar:<home>/lib/*"}, configured by
 * environment variables only. {@code home} is the aggregator module's {@code target} directory.
 */
public final class AggregatorLauncher {

    public static final String MAIN_CLASS = "org.borderwatch.aggregator.Application";
    /** System property naming the aggregator's target directory (set by the build for the integration test). */
    public static final String HOME_PROPERTY = "borderwatch.aggregator.home";
    private static final String JAR = "borderwatch-aggregator-0.1.0-SNAPSHOT.jar";

    private final Path home;
    private final Path logDir;
    private final Path credentialsFile;
    private final AtomicInteger started = new AtomicInteger();

    private AggregatorLauncher(final Path home, final Path logDir, final Path credentialsFile) {
        this.home = home;
        this.logDir = logDir;
        this.credentialsFile = credentialsFile;
    }

    /**
     * @param home   the aggregator's {@code target} directory, holding the jar and {@code lib/}
     * @param logDir where each started process writes {@code aggregator-<n>.log} (stdout and stderr)
     * @throws IllegalStateException naming the build command when the aggregator is not packaged
     */
    public static AggregatorLauncher of(final Path home, final Path logDir) {
        final Path jar = home.resolve(JAR);
        if (!Files.isRegularFile(jar) || !Files.isDirectory(home.resolve("lib"))) {
            throw new IllegalStateException("the aggregator service is not packaged: " + jar + " or "
                    + home.resolve("lib") + " is missing; run `mvn -B -DskipTests -pl services/aggregator -am "
                    + "install` (which packages it with target/lib) in the repository root");
        }
        try {
            Files.createDirectories(logDir);
            return new AggregatorLauncher(home.toAbsolutePath(), logDir, writeCredentials(logDir));
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot prepare " + logDir, e);
        }
    }

    /** The {@code home} from {@value #HOME_PROPERTY}, else {@code services/aggregator/target} under the current directory. */
    public static Path defaultHome() {
        final String property = System.getProperty(HOME_PROPERTY);
        return property != null ? Path.of(property) : Path.of("services", "aggregator", "target");
    }

    /** Starts one aggregator process; it begins processing as soon as it has joined its group. */
    public AggregatorProcess start(final AggregatorOptions options) {
        final int number = started.incrementAndGet();
        final Path log = logDir.resolve("aggregator-" + number + ".log");
        final int port = freePort();
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + options.heap());
        command.addAll(options.jvmArgs());
        command.add("-cp");
        command.add(home.resolve(JAR) + ":" + home.resolve("lib") + "/*");
        command.add(MAIN_CLASS);
        final Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", options.bootstrapServers());
        env.put("BORDERWATCH_AGGREGATOR_APPLICATION_ID", options.applicationId());
        env.put("BORDERWATCH_AGGREGATOR_STATE_DIR", options.stateDir().toAbsolutePath().toString());
        env.put("BORDERWATCH_SECURITY_CREDENTIALS_FILE", credentialsFile.toString());
        env.put("MICRONAUT_SERVER_PORT", Integer.toString(port));
        env.putAll(options.env());
        final ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        try {
            return new AggregatorProcess(number, builder.start(), port, log);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /**
     * The service refuses to start without a credentials file. One admin entry whose key nobody knows (a random
     * digest): the harness only reads {@code /health} and {@code /prometheus}, which are anonymous.
     */
    private static Path writeCredentials(final Path dir) throws IOException {
        final byte[] digest = new byte[32];
        new SecureRandom().nextBytes(digest);
        final Path file = dir.resolve("credentials.yml");
        Files.writeString(file, "credentials:\n  - name: bench-admin\n    key-sha256: "
                + HexFormat.of().formatHex(digest) + "\n    role: admin\n    regions: [\"*\"]\n",
                StandardCharsets.UTF_8);
        return file;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (final IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
