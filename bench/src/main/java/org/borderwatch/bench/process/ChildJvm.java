package org.borderwatch.bench.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A tool or bare application from this JVM's own classpath ({@code java.class.path}) in a JVM of its own, so it
 * pays for a JVM and shares the cores with the broker as the services do: {@code -Xmx} as given, a GC log for its
 * peak heap, its resident high-water mark read every 200 ms while it lives ({@code /proc} forgets a process once it
 * exited). Stdout is handed to a listener line by line as it comes; stderr goes to the log. Ended by its handle.
 */
public final class ChildJvm implements AutoCloseable {

    private static final Duration SAMPLE_EVERY = Duration.ofMillis(200);

    /** What is known of it once it ended: exit code, stdout, peak heap (GC log) and peak RSS (VmHWM). */
    public record Ended(int exitCode, List<String> output, OptionalLong peakHeap, OptionalLong peakRss) {
    }

    private final Process process;
    private final Path gcLog;
    private final List<String> output = new ArrayList<>();
    private final AtomicLong peakRss = new AtomicLong(-1);
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        final Thread thread = new Thread(runnable, "child-jvm-memory");
        thread.setDaemon(true);
        return thread;
    });
    private final Thread reader;
    private final long startedNanos = System.nanoTime();

    private ChildJvm(final Process process, final Path gcLog, final Consumer<String> lines) {
        this.process = process;
        this.gcLog = gcLog;
        final long pid = process.pid();
        sampler.scheduleAtFixedRate(() -> ProcessMemory.peakRss(pid)
                        .ifPresent(rss -> peakRss.accumulateAndGet(rss, Math::max)), 0, SAMPLE_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
        this.reader = new Thread(() -> {
            try (var in = process.inputReader(StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    synchronized (output) {
                        output.add(line);
                    }
                    lines.accept(line);
                }
            } catch (final IOException e) {
                // the process was ended
            }
        }, "child-jvm-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code mainClass} with {@code args}; stderr and the GC log go to {@code <dir>/<name>.log} and
     * {@code <dir>/<name>-gc.log}.
     */
    public static ChildJvm start(final String name, final String heap, final String mainClass,
                                 final List<String> args, final Path dir, final Consumer<String> lines) {
        final Path gcLog = dir.resolve(name + "-gc.log");
        final List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
                HeapFigures.gcLogOption(gcLog), "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        try {
            final Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile())).start();
            return new ChildJvm(process, gcLog, lines);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot start " + mainClass, e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long startedNanos() {
        return startedNanos;
    }

    /** Peak resident memory seen so far. */
    public OptionalLong peakRss() {
        ProcessMemory.peakRss(process.pid()).ifPresent(rss -> peakRss.accumulateAndGet(rss, Math::max));
        return peakRss.get() < 0 ? OptionalLong.empty() : OptionalLong.of(peakRss.get());
    }

    /** Waits for it to exit by itself; ends it (and fails) after {@code timeout}. */
    public Ended await(final Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                close();
                throw new IllegalStateException("still running after " + timeout + ", ended");
            }
            reader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted", e);
        }
        return ended();
    }

    /** Ends it (SIGTERM, SIGKILL after {@code grace}) and says what is known of it. */
    public Ended stop(final Duration grace) {
        final OptionalLong rss = peakRss();
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        sampler.shutdownNow();
        synchronized (output) {
            return new Ended(process.isAlive() ? -1 : process.exitValue(), List.copyOf(output),
                    HeapFigures.peakFromGcLog(gcLog), rss);
        }
    }

    private Ended ended() {
        sampler.shutdownNow();
        synchronized (output) {
            return new Ended(process.exitValue(), List.copyOf(output), HeapFigures.peakFromGcLog(gcLog),
                    peakRss.get() < 0 ? OptionalLong.empty() : OptionalLong.of(peakRss.get()));
        }
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
