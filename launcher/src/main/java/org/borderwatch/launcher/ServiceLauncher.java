package org.borderwatch.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts one packaged borderwatch service as child JVMs, exactly as it is run in production: {@code java -cp
 * "<home>/<jar>:<home>/lib/*" <main>}, configured by environment variables only, HTTP on 127.0.0.1. {@code home} is
 * the service module's {@code target} directory. The one way the dev stack ({@code borderwatch dev}) and bench start
 * a service.
 */
public final class ServiceLauncher {

    private final Service service;
    private final Path home;
    private final Path logDir;
    private final Path credentialsFile;
    private final boolean oneLog;
    private final AtomicInteger started = new AtomicInteger();

    private ServiceLauncher(final Service service, final Path home, final Path logDir, final Path credentialsFile,
                            final boolean oneLog) {
        this.service = service;
        this.home = home;
        this.logDir = logDir;
        this.credentialsFile = credentialsFile;
        this.oneLog = oneLog;
    }

    /**
     * Each started process writes its own log, {@code <service>-<n>.log} (what a benchmark compares).
     *
     * @param home            the service's {@code target} directory, holding the jar and {@code lib/}
     * @param logDir          where each started process writes its stdout and stderr
     * @param credentialsFile the API keys file every service requires (format in services/common's README)
     * @throws IllegalStateException naming the build command when the service is not packaged
     */
    public static ServiceLauncher of(final Service service, final Path home, final Path logDir,
                                     final Path credentialsFile) {
        final Path jar = home.resolve(service.jar());
        if (!Files.isRegularFile(jar) || !Files.isDirectory(home.resolve("lib"))) {
            throw new IllegalStateException("the " + service.shortName() + " service is not packaged: " + jar
                    + " or " + home.resolve("lib") + " is missing; run `mvn -B -DskipTests -pl services/"
                    + service.shortName() + " -am package` (which packages it with target/lib) in the repository"
                    + " root, or ./borderwatch, which builds what is missing");
        }
        try {
            Files.createDirectories(logDir);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create " + logDir, e);
        }
        return new ServiceLauncher(service, home.toAbsolutePath(), logDir, credentialsFile.toAbsolutePath(), false);
    }

    /**
     * The same launcher, but every process appends to one {@code <service>.log}, each start marked by a line: a
     * restarted service of the dev stack continues its log.
     */
    public ServiceLauncher appendingToOneLog() {
        return new ServiceLauncher(service, home, logDir, credentialsFile, true);
    }

    public Service service() {
        return service;
    }

    /** Where the next process writes its output. */
    public Path nextLog() {
        return logDir.resolve(oneLog ? service.shortName() + ".log"
                : service.shortName() + "-" + (started.get() + 1) + ".log");
    }

    /** Starts one process on a free port of 127.0.0.1; see {@link #start(String, int, String, List, Map)}. */
    public ServiceProcess start(final String bootstrapServers, final String heap, final List<String> jvmArgs,
                                final Map<String, String> env) {
        return start(bootstrapServers, 0, heap, jvmArgs, env);
    }

    /**
     * Starts one process of the service. {@code env} is in the service's own keys (see its application.yml); the
     * launcher sets {@code KAFKA_BOOTSTRAP_SERVERS}, the credentials file and {@code MICRONAUT_SERVER_PORT}.
     *
     * @param port the HTTP port on 127.0.0.1, or 0 for a free one
     */
    public ServiceProcess start(final String bootstrapServers, final int port, final String heap,
                                final List<String> jvmArgs, final Map<String, String> env) {
        final Path log = nextLog();
        final int number = started.incrementAndGet();
        final int httpPort = port == 0 ? freePort() : port;
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(home.resolve(service.jar()) + ":" + home.resolve("lib") + "/*");
        command.add(service.mainClass());
        final Map<String, String> all = new LinkedHashMap<>();
        all.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        all.put("BORDERWATCH_SECURITY_CREDENTIALS_FILE", credentialsFile.toString());
        all.put("MICRONAUT_SERVER_PORT", Integer.toString(httpPort));
        all.putAll(env);
        final ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(all);
        try {
            if (oneLog) {
                Files.writeString(log, "---- " + Instant.now() + " starting " + service.shortName() + " #" + number
                        + " on 127.0.0.1:" + httpPort + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            return new ServiceProcess(service.shortName(), number, builder.start(), httpPort, log);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (final IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
