package org.borderwatch.bench.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts one packaged borderwatch service as child JVMs, exactly as it is run in production: {@code java -cp
 * "<home>/<jar>:<home>/lib/*" <main>}, configured by environment variables only, HTTP on a free port of 127.0.0.1.
 * {@code home} is the service module's {@code target} directory.
 */
public final class ServiceLauncher {

    private final Service service;
    private final Path home;
    private final Path logDir;
    private final Path credentialsFile;
    private final AtomicInteger started = new AtomicInteger();

    private ServiceLauncher(final Service service, final Path home, final Path logDir, final Path credentialsFile) {
        this.service = service;
        this.home = home;
        this.logDir = logDir;
        this.credentialsFile = credentialsFile;
    }

    /**
     * @param home            the service's {@code target} directory, holding the jar and {@code lib/}
     * @param logDir          where each started process writes {@code <service>-<n>.log} (stdout and stderr)
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
                    + " root");
        }
        try {
            Files.createDirectories(logDir);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create " + logDir, e);
        }
        return new ServiceLauncher(service, home.toAbsolutePath(), logDir, credentialsFile.toAbsolutePath());
    }

    public Service service() {
        return service;
    }

    /**
     * Starts one process of the service. {@code env} is in the service's own keys (see its application.yml); the
     * launcher sets {@code KAFKA_BOOTSTRAP_SERVERS}, the credentials file and {@code MICRONAUT_SERVER_PORT}.
     */
    public ServiceProcess start(final String bootstrapServers, final String heap, final List<String> jvmArgs,
                                final Map<String, String> env) {
        final int number = started.incrementAndGet();
        final Path log = logDir.resolve(service.shortName() + "-" + number + ".log");
        final int port = freePort();
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
        all.put("MICRONAUT_SERVER_PORT", Integer.toString(port));
        all.putAll(env);
        final ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(all);
        try {
            return new ServiceProcess(service.shortName(), number, builder.start(), port, log);
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
