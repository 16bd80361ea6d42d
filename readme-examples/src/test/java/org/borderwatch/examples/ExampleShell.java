package org.borderwatch.examples;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one example as {@code bash -euo pipefail} in the repository root with the stack's environment, its stdout and
 * stderr in two files (so curl's progress meter never splits a line of output). Ends a process and its children by
 * their handles only.
 */
final class ExampleShell {

    private final Path root;
    private final Path dir;
    private final ExampleStack stack;
    private int count;

    ExampleShell(final Path root, final Path dir, final ExampleStack stack) {
        this.root = root;
        this.dir = dir;
        this.stack = stack;
    }

    /** A started example: its process and the files its stdout and stderr go to. */
    record Running(Example example, Process process, Path outputFile, Path errorFile) {

        String output() {
            return read(outputFile);
        }

        String errors() {
            return read(errorFile);
        }

        /** The expected text is in what it printed, on stdout or on stderr. */
        boolean shows(final String expected) {
            return Example.shows(output(), expected) || Example.shows(errors(), expected);
        }

        /** Both streams, for a failure message. */
        String printed() {
            return output() + (errors().isBlank() ? "" : "\n--- stderr ---\n" + errors());
        }

        private static String read(final Path file) {
            try {
                return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void stop() {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    Running start(final Example example) throws IOException {
        count++;
        String code = stack.rewrite(example.code());
        for (final String[] replacement : example.how().replacements()) {
            if (!code.contains(replacement[0])) {
                throw new IllegalArgumentException(example.name() + ": replace \"" + replacement[0]
                        + "\", but the example does not contain it");
            }
            code = code.replace(replacement[0], replacement[1]);
        }
        final Path script = dir.resolve("example-" + count + ".sh");
        final Path output = dir.resolve("example-" + count + ".out");
        final Path errors = dir.resolve("example-" + count + ".err");
        Files.writeString(script, "# " + example.name() + "\n" + code, StandardCharsets.UTF_8);
        final ProcessBuilder builder = new ProcessBuilder(List.of("bash", "-euo", "pipefail", script.toString()))
                .directory(root.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(output.toFile())
                .redirectError(errors.toFile());
        final Map<String, String> env = builder.environment();
        env.putAll(stack.environment());
        return new Running(example, builder.start(), output, errors);
    }

    /**
     * Runs a foreground example to its end; returns it with its exit code, -1 when it did not end within its bound
     * (then it was stopped).
     */
    Finished run(final Example example) throws IOException, InterruptedException {
        final Running running = start(example);
        final Duration within = Duration.ofSeconds(example.how().withinSeconds());
        if (!running.process().waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            running.stop();
            return new Finished(running, -1);
        }
        return new Finished(running, running.process().exitValue());
    }

    /** Waits until a background example shows all it should, or its bound passes; then stops it. */
    static void awaitShown(final Running running) {
        final Example example = running.example();
        try {
            await(example.name() + " shows its expected output").atMost(Duration.ofSeconds(
                    example.how().withinSeconds())).pollInterval(Duration.ofMillis(200))
                    .until(() -> example.expected().stream().allMatch(running::shows));
        } catch (final org.awaitility.core.ConditionTimeoutException e) {
            // Reported by the caller with the output and the missing lines.
        } finally {
            running.stop();
        }
    }

    /** The first output of a background example (a stream's opening comment), so what follows is not missed. */
    static void awaitStarted(final Running running) {
        try {
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !running.output().isEmpty() || !running.process().isAlive());
            // Its first output is there: the stream is open (or the example ended, which its checks report).
        } catch (final org.awaitility.core.ConditionTimeoutException e) {
            // A silent start is checked with the rest of its expectations.
        }
    }

    /** A foreground example that ended (exit code -1: stopped after its bound). */
    record Finished(Running running, int exitCode) {
    }
}
