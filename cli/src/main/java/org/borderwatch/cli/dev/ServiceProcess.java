package org.borderwatch.cli.dev;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service of the dev stack, run as its own JVM from the module's jar and {@code target/lib}, with its output
 * in {@code .borderwatch/logs/<name>.log}.
 *
 * @param name      short name, also the log file's
 * @param module    module folder relative to the repository root, e.g. {@code services/ingest}
 * @param artifact  artifactId, for the jar's file name
 * @param mainClass the service's main class
 * @param port      the HTTP port it listens on, on 127.0.0.1
 * @param env       settings of this service in the dev stack; {@code {state}} stands for the dev state folder
 */
public record ServiceProcess(String name, String module, String artifact, String mainClass, int port,
                             Map<String, String> env) {

    public static final String VERSION = "0.1.0-SNAPSHOT";

    public Path jar(final Path root) {
        return root.resolve(module).resolve("target").resolve(artifact + "-" + VERSION + ".jar");
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Process start(final Path root, final Path state, final Map<String, String> shared) throws IOException {
        final Path logs = state.resolve("logs");
        final Path jar = jar(root);
        if (!Files.exists(jar)) {
            throw new IOException(jar + " is missing: run `mvn -DskipTests package` (./borderwatch does it for you)");
        }
        Files.createDirectories(logs);
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(jar + ":" + root.resolve(module).resolve("target").resolve("lib") + "/*");
        command.add(mainClass);
        final ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile()));
        builder.environment().putAll(shared);
        env.forEach((key, value) -> builder.environment().put(key, value.replace("{state}", state.toString())));
        builder.environment().put("MICRONAUT_SERVER_PORT", Integer.toString(port));
        return builder.start();
    }

    /** Waits until {@code /health} answers 200, the process dies, or the time is up. */
    public boolean awaitHealthy(final Process process, final Duration timeout) throws InterruptedException {
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        final HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/health"))
                .timeout(Duration.ofSeconds(2)).build();
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return true;
                }
            } catch (final IOException e) {
                // Not listening yet.
            }
            process.waitFor(500, TimeUnit.MILLISECONDS);
        }
        return false;
    }
}
