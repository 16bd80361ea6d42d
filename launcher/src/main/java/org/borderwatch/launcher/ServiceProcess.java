package org.borderwatch.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running service JVM (see {@link ServiceLauncher}). {@link #kill()} is a hard crash (SIGKILL: no shutdown
 * hook, no commit, no leaving the group); {@link #stop(Duration)} a clean shutdown (SIGTERM, then SIGKILL if it does
 * not exit in time). Either way the process is ended by its own handle, never by name.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceProcess.class);
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final String name;
    private final int number;
    private final Process process;
    private final int port;
    private final Path log;
    private final long startedNanos = System.nanoTime();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    ServiceProcess(final String name, final int number, final Process process, final int port, final Path log) {
        this.name = name;
        this.number = number;
        this.process = process;
        this.port = port;
        this.log = log;
        LOG.info("Started {} #{} (pid {}, http 127.0.0.1:{}, log {})", name, number, process.pid(), port, log);
    }

    public long pid() {
        return process.pid();
    }

    /** The service's short name: ingest, aggregator, alert. */
    public String name() {
        return name;
    }

    /** The HTTP port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int number() {
        return number;
    }

    public Path log() {
        return log;
    }

    public long startedNanos() {
        return startedNanos;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code once the process has ended. */
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /** Completes when the process has ended, for whatever reason. */
    public CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /**
     * Waits until {@code /health} answers 200 (true), the process ends or {@code timeout} passes (false). Polls
     * every 250 ms: a service starts in seconds, so finer polling only costs CPU the services need.
     */
    public boolean awaitHealthy(final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (get("health").isPresent()) {
                return true;
            }
            process.waitFor(250, TimeUnit.MILLISECONDS);
        }
        return false;
    }

    /** SIGKILL, then waits for the process to be gone. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(KILL_WAIT);
        LOG.info("Killed {} #{} (pid {}) with SIGKILL", name, number, process.pid());
    }

    /** SIGTERM (the service commits and leaves its group), SIGKILL after {@code timeout}. */
    public void stop(final Duration timeout) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!awaitExit(timeout)) {
            LOG.warn("{} #{} (pid {}) did not stop within {}; killing it", name, number, process.pid(), timeout);
            kill();
        }
    }

    /** The body of {@code GET /<path>}, if the service answers 200. */
    public Optional<String> get(final String path) {
        try {
            final HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/" + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        } catch (final IOException e) {
            return Optional.empty();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Kills the process if it still runs: nothing a run started outlives it. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    private boolean awaitExit(final Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return false;
        }
    }
}
